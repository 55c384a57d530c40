package dev.arbor.system;

import org.axonframework.common.DateTimeUtils;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.util.UUID;

/** Events written straight into the event store, past the command side: as older code, or a bug, wrote them. */
final class RawEvents {

    private RawEvents() {
    }

    /**
     * Appends an event of an {@code Account} aggregate, stamped now as Axon stamps it, with the payload and metadata
     * as JSON text in the shape of the payload type's {@code revision}; answers the event's id.
     */
    static String appendAccountEvent(JdbcClient database, UUID account, long sequence, Class<?> payloadType,
                                     String revision, String payload, String metaData) {
        String eventId = UUID.randomUUID().toString();
        database.sql("""
                     INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                             event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                     VALUES (?, ?, 'Account', ?, convert_to(?, 'UTF8'), convert_to(?, 'UTF8'), ?, ?, ?)""")
                .params(account.toString(), sequence, eventId, metaData, payload, revision, payloadType.getName(),
                        DateTimeUtils.formatInstant(Instant.now()))
                .update();
        return eventId;
    }
}
