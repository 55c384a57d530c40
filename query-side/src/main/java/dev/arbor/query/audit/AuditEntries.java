package dev.arbor.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.audit.AuditEntry;
import dev.arbor.api.common.EventMetadata;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

import java.util.Objects;
import java.util.UUID;

/** Turns a stored event into its audit entry. */
@Component
class AuditEntries {

    private final ObjectMapper json;

    AuditEntries(ObjectMapper json) {
        this.json = json;
    }

    /** An event read straight from the store ({@code StoredEvents}), whose token is its own global index. */
    AuditEntry of(TrackedEventMessage<?> event) {
        return of((DomainEventMessage<?>) event, event.trackingToken().position().orElseThrow());
    }

    AuditEntry of(DomainEventMessage<?> event, long position) {
        MetaData metaData = event.getMetaData();
        JsonNode payload = json.valueToTree(event.getPayload());
        return new AuditEntry(position, event.getAggregateIdentifier(),
                              event.getSequenceNumber(), event.getTimestamp(), event.getPayloadType().getSimpleName(),
                              accountOf(payload), payload,
                              text(metaData.get(EventMetadata.ACTOR)), text(metaData.get(EventMetadata.CORRELATION_ID)),
                              text(metaData.get(EventMetadata.REASON)));
    }

    /** The account an event concerns: its {@code accountId}, or where a user moved to; null for seat tokens. */
    private static UUID accountOf(JsonNode fields) {
        JsonNode account = fields.hasNonNull("accountId") ? fields.get("accountId") : fields.get("toAccountId");
        return account == null || account.isNull() ? null : UUID.fromString(account.asText());
    }

    private static String text(Object value) {
        return value == null ? null : Objects.toString(value);
    }
}
