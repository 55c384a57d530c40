package dev.arbor.query.audit;

import dev.arbor.api.audit.AuditEntry;
import dev.arbor.query.processing.BatchedStatements;
import dev.arbor.query.processing.ReadModelPosition;
import dev.arbor.query.processing.Replay;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.replay.ResetContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes every event once into {@code audit_log}, keyed by its position in the event store, so a redelivered or
 * replayed event changes nothing. A processor of its own ({@value ReadModelPosition#AUDIT}): the audit trail can be replayed without
 * touching the read model, and the read model without touching it.
 */
@Component
@ProcessingGroup(ReadModelPosition.AUDIT)
class AuditProjection {

    private static final BatchedStatements.Write INSERT = BatchedStatements.statement("""
            INSERT INTO audit_log (position, aggregate_id, sequence, occurred_at, type, account_id, actor,
                                   correlation_id, reason, payload)
            SELECT e.global_index, :aggregateId, :sequence, :at, :type, :accountId, :actor, :correlationId, :reason,
                   CAST(:payload AS jsonb)
              FROM event_store.domain_event_entry e WHERE e.event_identifier = :eventId
            ON CONFLICT (position) DO NOTHING""");

    /** Stands for the position in an entry whose row takes it from the event store (see {@link #on}). */
    private static final long POSITION_FROM_STORE = -1;

    private final JdbcClient jdbc;
    private final BatchedStatements statements;
    private final AuditEntries entries;

    AuditProjection(JdbcClient jdbc, BatchedStatements statements, AuditEntries entries) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.entries = entries;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            jdbc.sql("TRUNCATE audit_log").update();
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
        row.put("aggregateId", entry.aggregateId());
        row.put("sequence", entry.sequence());
        row.put("at", entry.timestamp().atOffset(ZoneOffset.UTC));
        row.put("type", entry.type());
        row.put("accountId", entry.accountId());
        row.put("actor", entry.actor());
        row.put("correlationId", entry.correlationId());
        row.put("reason", entry.reason());
        row.put("payload", entry.payload().toString());
        row.put("eventId", event.getIdentifier());
        statements.add(BatchedStatements.Phase.CREATE, INSERT, row);
    }
}
