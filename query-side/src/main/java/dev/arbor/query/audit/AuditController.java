package dev.arbor.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.audit.AuditEntry;
import dev.arbor.api.common.Page;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.access.Scope;
import dev.arbor.query.support.PageCursor;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who did what, when, across accounts: the audit log newest first, filtered by any of actor, account, subtree
 * (the accounts under one today), event type and time. A user sees the events of its account's subtree only.
 */
@RestController
class AuditController {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final QueryScope scope;

    AuditController(JdbcClient jdbc, ObjectMapper json, QueryScope scope) {
        this.jdbc = jdbc;
        this.json = json;
        this.scope = scope;
    }

    @GetMapping("/api/v1/audit")
    Page<AuditEntry> audit(@RequestParam(required = false) @Size(max = 256) String actor,
                           @RequestParam(required = false) UUID accountId,
                           @RequestParam(required = false) UUID subtreeOf,
                           @RequestParam(required = false) @Size(max = 100) String type,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                           Instant from,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                           Instant to,
                           @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
                           @RequestParam(required = false) String cursor) {
        Scope visible = scope.current();
        // the admin's scope also takes entries of no account (seat tokens)
        StringBuilder where = new StringBuilder("(CAST(:scope AS uuid) IS NULL OR account_id IN (SELECT a.id FROM account a"
                                                + " WHERE " + Scope.covers("a.path") + "))");
        Map<String, Object> parameters = new HashMap<>();
        condition(where, parameters, "actor = :actor", "actor", actor);
        condition(where, parameters, "account_id = :accountId", "accountId", accountId);
        condition(where, parameters,
                  "account_id IN (SELECT id FROM account WHERE path @> ARRAY[CAST(:subtreeOf AS uuid)])",
                  "subtreeOf", subtreeOf);
        condition(where, parameters, "type = :type", "type", type);
        condition(where, parameters, "occurred_at >= :from", "from", utc(from));
        condition(where, parameters, "occurred_at < :to", "to", utc(to));
        PageCursor after = PageCursor.decode(cursor);
        condition(where, parameters, "position < :before", "before", after == null ? null : after.longKey());
        List<AuditEntry> page = visible.bind(jdbc.sql("SELECT * FROM audit_log WHERE " + where
                                                              + " ORDER BY position DESC LIMIT " + (limit + 1)))
                                    .params(parameters)
                                    .query(this::entry)
                                    .list();
        return PageCursor.page(page, limit, entry -> PageCursor.at(entry.position()));
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
