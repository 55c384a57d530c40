package dev.arbor.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.audit.AuditEntry;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.access.Scope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads {@code audit_log}, newest first, only the entries of accounts in the caller's {@link Scope}, each from when
 * its account lay in it.
 */
@Repository
class AuditLog {

    /** The filters of a page of the log; each null one filters nothing. {@code before} is a position (a cursor). */
    record Filters(String actor, UUID accountId, UUID subtreeOf, String type, Instant from, Instant to, Long before) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AuditLog(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The entries that match {@code filters}, in {@code scope}; the accounts and the actor the filters name have been
     * checked against the scope by the controller ({@link QueryScope#requireAccountsIn}).
     */
    List<AuditEntry> page(Scope scope, Filters filters, int limit) {
        // the admin's scope also takes entries of no account (seat tokens); a user's, an account's entries from when
        // it lay in the user's subtree
        StringBuilder where = new StringBuilder(scope.coversAccountAt("account_id", "position"));
        Map<String, Object> parameters = new HashMap<>();
        condition(where, parameters, "actor = :actor", "actor", filters.actor());
        condition(where, parameters, "account_id = :accountId", "accountId", filters.accountId());
        condition(where, parameters,
                  "account_id IN (SELECT id FROM account WHERE path @> ARRAY[CAST(:subtreeOf AS uuid)])",
                  "subtreeOf", filters.subtreeOf());
        condition(where, parameters, "type = :type", "type", filters.type());
        condition(where, parameters, "occurred_at >= :from", "from", utc(filters.from()));
        condition(where, parameters, "occurred_at < :to", "to", utc(filters.to()));
        condition(where, parameters, "position < :before", "before", filters.before());
        return scope.bindAt(jdbc.sql("SELECT * FROM audit_log WHERE " + where + " ORDER BY position DESC LIMIT " + limit))
                    .params(parameters)
                    .query(this::entry)
                    .list();
    }

    /** Adds {@code sql} to the conditions when the parameter it binds was given. */
    private static void condition(StringBuilder where, Map<String, Object> parameters, String sql, String name,
                                  Object value) {
        if (value != null) {
            where.append(" AND ").append(sql);
            parameters.put(name, value);
        }
    }

    private static Object utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("position"), rs.getString("aggregate_id"), rs.getLong("sequence"),
                              rs.getTimestamp("occurred_at").toInstant(), rs.getString("type"),
                              rs.getObject("account_id", UUID.class), payload(rs.getString("payload")),
                              rs.getString("actor"), rs.getString("correlation_id"), rs.getString("reason"));
    }

    private JsonNode payload(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable payload in audit_log", e);
        }
    }
}
