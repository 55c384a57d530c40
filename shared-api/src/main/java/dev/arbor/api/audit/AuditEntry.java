package dev.arbor.api.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One event as the audit trail shows it: where it sits in the event store ({@code position}, the global index; its
 * aggregate and {@code sequence} number there), when it happened, what it was ({@code type}, the event's name, and
 * its {@code payload}), the account it concerns, and who did it, in which request and why (from its metadata).
 */
public record AuditEntry(long position,
                         String aggregateId,
                         long sequence,
                         Instant timestamp,
                         String type,
                         UUID accountId,
                         Object payload,
                         String actor,
                         String correlationId,
                         String reason) {
}
