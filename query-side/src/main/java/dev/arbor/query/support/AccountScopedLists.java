package dev.arbor.query.support;

import dev.arbor.api.common.Page;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.UUID;
import java.util.function.Function;

/** Pages of the rows of a read-model table that belong to one account, in id order (keyset or offset). */
@Component
public class AccountScopedLists {

    private final JdbcClient jdbc;

    AccountScopedLists(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code table} is one of the read model's own tables, never client input. */
    public <T> Page<T> page(String table, RowMapper<T> rows, Function<T, UUID> idOf, UUID accountId, int limit,
                            String cursor, int offset) {
        PageCursor after = PageCursor.decode(cursor);
        return PageCursor.page(
                jdbc.sql("SELECT * FROM " + table
                                 + " WHERE account_id = :accountId AND (CAST(:after AS uuid) IS NULL OR id > :after)"
                                 + " ORDER BY id OFFSET :offset LIMIT :limit")
                    .param("accountId", accountId)
                    .param("after", after == null ? null : after.id())
                    .param("offset", offset)
                    .param("limit", limit + 1)
                    .query(rows)
                    .list(),
                limit, item -> PageCursor.after(idOf.apply(item)));
    }
}
