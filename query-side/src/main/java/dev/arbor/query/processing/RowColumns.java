package dev.arbor.query.processing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The rows a {@link ReadModelWriter.Write} gets, a column at a time, for set-based statements over {@code unnest}. */
public final class RowColumns {

    private RowColumns() {
    }

    /** One column of the rows, in their order. */
    public static <T> T[] column(List<Map<String, ?>> rows, String name, IntFunction<T[]> array) {
        return rows.stream().map(row -> row.get(name)).toArray(array);
    }

    /** A column as text, for the values PostgreSQL casts in the statement (JSON, timestamps). */
    public static Array texts(Connection connection, List<Map<String, ?>> rows, String name) throws SQLException {
        return connection.createArrayOf("text", rows.stream().map(row -> row.get(name))
                                                    .map(value -> value == null ? null : value.toString())
                                                    .toArray(String[]::new));
    }
}
