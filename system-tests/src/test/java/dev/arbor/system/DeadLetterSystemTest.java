package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An event the projection cannot handle is parked in the dead-letter queue; other events still get projected. */
class DeadLetterSystemTest {

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void aPoisonedEventIsParkedWhileLaterEventsAreProjected() {
        UUID poisoned = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        // Written past the command side's validation: a name the read model's column cannot hold.
        String payload = """
                {"accountId":"%s","rootId":"%s","parentId":null,"name":"%s","description":null,
                 "externalId":null,"seats":0,"limits":{}}""".formatted(poisoned, poisoned, "x".repeat(300));
        arbor.database.sql("""
                        INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                                event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                        VALUES (?, 0, 'Account', ?, convert_to('{}', 'UTF8'), convert_to(?, 'UTF8'), '1',
                                'dev.arbor.api.account.AccountCreated', ?)""")
                      .params(poisoned.toString(), eventId, payload,
                              Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                      .update();

        Http.Response later = Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"After\", \"seats\": 0}");
        String laterId = later.body().get("id").asText();

        // The two organizations may sit on different segments, so neither order is guaranteed: wait for both.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
               .until(() -> Http.get(arbor.querySide, "/api/v1/accounts/" + laterId).status() == 200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
               .until(() -> parkedCount(eventId) == 1);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + poisoned).status()).isEqualTo(404);

        JsonNode verified = Http.post(arbor.querySide, "/api/v1/admin/verify", null).body();
        assertThat(verified.get("consistent").asBoolean()).isFalse();
        assertThat(verified.get("unprojectableEvents").toString()).contains(eventId);

        JsonNode letter = parked(eventId);
        assertThat(letter.get("processingGroup").asText()).isEqualTo("accounts");
        assertThat(letter.get("type").asText()).isEqualTo("AccountCreated");
        assertThat(letter.get("cause").asText()).containsIgnoringCase("too long");

        JsonNode retry = Http.post(arbor.querySide, "/api/v1/admin/dead-letters/accounts/retry", null).body();
        assertThat(retry.get("sequencesTried").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(parkedCount(eventId)).as("still failing, so still parked").isEqualTo(1);

        String path = "/api/v1/admin/dead-letters/accounts/" + letter.get("id").asText();
        assertThat(Http.send(arbor.querySide, "DELETE", path, null).status()).isEqualTo(200);
        assertThat(parkedCount(eventId)).isZero();
        assertThat(Http.send(arbor.querySide, "DELETE", path, null).status()).isEqualTo(404);
    }

    private JsonNode parked(String eventId) {
        for (JsonNode letter : Http.get(arbor.querySide, "/api/v1/admin/dead-letters").body()) {
            if (letter.get("eventId").asText().equals(eventId)) {
                return letter;
            }
        }
        throw new AssertionError("Event " + eventId + " is not among the dead letters");
    }

    private long parkedCount(String eventId) {
        return arbor.database.sql("SELECT count(*) FROM read_model.dead_letter_entry WHERE event_identifier = ?")
                             .param(eventId).query(Long.class).single();
    }
}
