package dev.arbor.query.audit;

import dev.arbor.api.audit.AuditEntry;
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

/**
 * Writes every event once into {@code audit_log}, keyed by its position in the event store, so a redelivered or
 * replayed event changes nothing. A processor of its own ({@value ReadModelPosition#AUDIT}): the audit trail can be replayed without
 * touching the read model, and the read model without touching it.
 */
@Component
@ProcessingGroup(ReadModelPosition.AUDIT)
class AuditProjection {

    private final JdbcClient jdbc;
    private final AuditEntries entries;

    AuditProjection(JdbcClient jdbc, AuditEntries entries) {
        this.jdbc = jdbc;
        this.entries = entries;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            jdbc.sql("TRUNCATE audit_log").update();
        }
    }

    @EventHandler
    void on(DomainEventMessage<?> event) {
        AuditEntry entry = entries.of(event, positionOf(event));
        jdbc.sql("""
                 INSERT INTO audit_log (position, aggregate_id, sequence, occurred_at, type, account_id, actor,
                                        correlation_id, reason, payload)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
                 ON CONFLICT (position) DO NOTHING""")
            .params(entry.position(), entry.aggregateId(), entry.sequence(), entry.timestamp().atOffset(ZoneOffset.UTC),
                    entry.type(), entry.accountId(), entry.actor(), entry.correlationId(), entry.reason(),
                    entry.payload().toString())
            .update();
    }

    /**
     * The event's global index, read from the store. Not its tracking token's position: an event whose transaction
     * committed after later ones' (concurrent appends, from one command node or several) reaches the processor as a
     * gap being filled, and its token's position is then the highest index seen so far, another event's.
     */
    private long positionOf(DomainEventMessage<?> event) {
        return jdbc.sql("SELECT global_index FROM event_store.domain_event_entry WHERE event_identifier = ?")
                   .param(event.getIdentifier()).query(Long.class).single();
    }
}
