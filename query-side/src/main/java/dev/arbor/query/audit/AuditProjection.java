package dev.arbor.query.audit;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.query.processing.ReadModelWriter;
import dev.arbor.api.audit.AuditEntry;
import dev.arbor.query.processing.Replay;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.replay.ResetContext;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.arbor.query.processing.RowColumns.column;
import static dev.arbor.query.processing.RowColumns.texts;

/**
 * Writes every event once into {@code audit_log}, keyed by its position in the event store, so a redelivered or
 * replayed event changes nothing. A processor of its own ({@value ProcessingGroups#AUDIT}): the audit trail can be replayed without
 * touching the read model, and the read model without touching it.
 */
@Component
@ProcessingGroup(ProcessingGroups.AUDIT)
class AuditProjection {

    /**
     * Inserts a batch's entries in one statement. Each row's position is its event's global index, read from the store
     * by the statement itself (see {@link #on}).
     */
    private static final ReadModelWriter.Write INSERT = AuditProjection::insert;

    /** Stands for the position in an entry whose row takes it from the event store. */
    private static final long POSITION_FROM_STORE = -1;

    private final ReadModelWriter writer;
    private final AuditEntries entries;

    AuditProjection(ReadModelWriter writer, AuditEntries entries) {
        this.writer = writer;
        this.entries = entries;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            writer.sql("TRUNCATE audit_log").update();
        }
    }

    /**
     * The row's position is the event's global index, read from the store by the insert itself. Not its tracking
     * token's position: an event whose transaction committed after later ones' (concurrent appends, from one command
     * node or several) reaches the processor as a gap being filled, and its token's position is then the highest
     * index seen so far, another event's.
     */
    @EventHandler
    void on(DomainEventMessage<?> event) {
        AuditEntry entry = entries.of(event, POSITION_FROM_STORE);
        Map<String, Object> row = new HashMap<>();
        row.put("eventId", event.getIdentifier());
        row.put("aggregateId", entry.aggregateId());
        row.put("sequence", entry.sequence());
        row.put("at", entry.timestamp());
        row.put("type", entry.type());
        row.put("accountId", entry.accountId());
        row.put("actor", entry.actor());
        row.put("correlationId", entry.correlationId());
        row.put("reason", entry.reason());
        row.put("payload", entry.payload());
        writer.add(ReadModelWriter.Phase.CREATE, INSERT, row);
    }

    private static void insert(Connection connection, List<Map<String, ?>> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO audit_log (position, aggregate_id, sequence, occurred_at, type, account_id, actor,
                                       correlation_id, reason, payload)
                SELECT e.global_index, r.aggregate_id, r.sequence, CAST(r.at AS timestamptz), r.type, r.account_id,
                       r.actor, r.correlation_id, r.reason, CAST(r.payload AS jsonb)
                  FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       AS r(event_id, aggregate_id, sequence, at, type, account_id, actor, correlation_id, reason,
                            payload)
                  JOIN event_store.domain_event_entry e ON e.event_identifier = r.event_id
                ON CONFLICT (position) DO NOTHING""")) {
            insert.setArray(1, texts(connection, rows, "eventId"));
            insert.setArray(2, texts(connection, rows, "aggregateId"));
            insert.setArray(3, connection.createArrayOf("bigint", column(rows, "sequence", Long[]::new)));
            insert.setArray(4, texts(connection, rows, "at"));
            insert.setArray(5, texts(connection, rows, "type"));
            insert.setArray(6, connection.createArrayOf("uuid", column(rows, "accountId", UUID[]::new)));
            insert.setArray(7, texts(connection, rows, "actor"));
            insert.setArray(8, texts(connection, rows, "correlationId"));
            insert.setArray(9, texts(connection, rows, "reason"));
            insert.setArray(10, texts(connection, rows, "payload"));
            insert.executeUpdate();
        }
    }
}
