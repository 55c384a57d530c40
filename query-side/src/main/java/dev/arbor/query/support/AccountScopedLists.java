package dev.arbor.query.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.Page;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.access.Scope;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads of the rows of a read-model table that belong to accounts ({@code account_id}): one by id, or a page of
 * one account's in id order (keyset or offset). Each joins the row's account and keeps it only if that account is in
 * the caller's {@link Scope}; a page of an account outside it is 404, as for an account that does not exist.
 */
@Component
public class AccountScopedLists {

    private final JdbcClient jdbc;

    AccountScopedLists(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code table} is one of the read model's own tables, never client input. */
    public <T> Optional<T> find(Scope scope, String table, RowMapper<T> rows, UUID id) {
        return scope.bind(jdbc.sql("SELECT t.* FROM " + table + " t JOIN account a ON a.id = t.account_id"
                                   + " WHERE t.id = :id AND " + scope.covers("a.path")))
                    .param("id", id)
                    .query(rows)
                    .optional();
    }

    /**
     * {@code table} is one of the read model's own tables, never client input; so are the columns of
     * {@code equal}, whose rows must hold the values given (a list's filters: an empty map for none).
     */
    public <T> Page<T> page(Scope scope, String table, RowMapper<T> rows, Function<T, UUID> idOf, UUID accountId,
                            Map<String, ?> equal, int limit, String cursor, int offset) {
        PageCursor after = PageCursor.decode(cursor);
        requireAccount(scope, accountId);
        StringBuilder filters = new StringBuilder();
        Map<String, Object> values = new HashMap<>();
        equal.forEach((column, value) -> {
            filters.append(" AND t.").append(column).append(" = :equal_").append(column);
            values.put("equal_" + column, value);
        });
        return PageCursor.page(
                scope.bind(jdbc.sql("SELECT t.* FROM " + table + " t JOIN account a ON a.id = t.account_id"
                                    + " WHERE t.account_id = :accountId AND " + scope.covers("a.path") + filters
                                    + " AND (CAST(:after AS uuid) IS NULL OR t.id > :after)"
                                    + " ORDER BY t.id OFFSET :offset LIMIT :limit"))
                    .params(values)
                    .param("accountId", accountId)
                    .param("after", after == null ? null : after.id())
                    .param("offset", offset)
                    .param("limit", limit + 1)
                    .query(rows)
                    .list(),
                limit, item -> PageCursor.after(idOf.apply(item)));
    }

    /** An empty page would say the account exists and has none; one out of scope must look like no account. */
    private void requireAccount(Scope scope, UUID accountId) {
        boolean visible = scope.bind(jdbc.sql("SELECT EXISTS (SELECT 1 FROM account a WHERE a.id = :id AND "
                                              + scope.covers("a.path") + ")"))
                               .param("id", accountId).query(Boolean.class).single();
        if (!visible) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No account with id " + accountId + ".");
        }
    }
}
