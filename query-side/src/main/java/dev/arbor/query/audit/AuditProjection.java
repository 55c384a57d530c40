package dev.arbor.query.audit;

import dev.arbor.api.audit.AuditEntry;
import dev.arbor.query.processing.ReadModelPosition;
import dev.arbor.query.processing.Replay;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
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
    void on(DomainEventMessage<?> event, TrackingToken token) {
        AuditEntry entry = entries.of(event, token);
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
}
