package dev.arbor.query.processing;

import dev.arbor.query.processing.batch.BatchedStatements;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * A projection's only way into the database. Its writes either wait for the processor's batch ({@link #add}), sent
 * together when the batch is about to commit, or run at once ({@link #sql}), after every write still waiting: a
 * statement that reads or changes rows must see what the batch gave before it, so {@link #sql} runs those first
 * and no projection can forget to. {@code ProjectionsWriteThroughTheWriterTest} fails for a projection that holds
 * any other handle on the database.
 * <p>
 * Waiting changes the order writes run in, so a projection hands over only writes that stay correct in the order
 * they then run:
 * <ul>
 *     <li>{@link Phase#CREATE}: inserts of new rows, which commute with each other. They run first, each write's rows
 *     in the order they came.</li>
 *     <li>{@link Phase#CHANGE}: changes to existing rows that no {@code CREATE} reads, each write's rows in the order
 *     they came, after every {@code CREATE}: a row's changes come after its creation in any order of events.</li>
 * </ul>
 * The tables are named without a schema: the transaction's search_path picks the live read model, a shadow or a
 * scratch copy.
 */
@Component
public class ReadModelWriter {

    public enum Phase { CREATE, CHANGE }

    /** Writes rows that waited for a batch (or one row at once) in the caller's transaction. */
    public interface Write {
        void run(Connection connection, List<Map<String, ?>> rows) throws SQLException;
    }

    private final BatchedStatements batch;
    private final JdbcClient jdbc;

    public ReadModelWriter(BatchedStatements batch, JdbcClient jdbc) {
        this.batch = batch;
        this.jdbc = jdbc;
    }

    /** One statement (named parameters) per row, the rows sent as one JDBC batch. */
    public static Write statement(String sql) {
        ParsedSql named = NamedParameterUtils.parseSqlStatement(sql);
        String positional = NamedParameterUtils.substituteNamedParameters(named, null);
        return (connection, rows) -> {
            try (PreparedStatement statement = connection.prepareStatement(positional)) {
                for (Map<String, ?> row : rows) {
                    Object[] values = NamedParameterUtils.buildValueArray(named, new MapSqlParameterSource(row), null);
                    for (int i = 0; i < values.length; i++) {
                        if (values[i] == null) {
                            // leaves the type to PostgreSQL, where asking the driver for it would cost a round trip
                            statement.setNull(i + 1, Types.OTHER);
                        } else {
                            statement.setObject(i + 1, values[i]);
                        }
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        };
    }

    /** Runs {@code write} for {@code row} with the batch, or at once outside one. */
    public void add(Phase phase, Write write, Map<String, ?> row) {
        batch.add(phase, write, row);
    }

    /** A statement to run now, once every write still waiting for the batch has run. */
    public JdbcClient.StatementSpec sql(String sql) {
        batch.flush();
        return jdbc.sql(sql);
    }
}
