package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An event the projection cannot handle is parked in the dead-letter queue; other events still get projected. */
class DeadLetterSystemTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final PoisonedEvents poison = new PoisonedEvents(arbor);
    private final Commands commands = new Commands(arbor.commandSide);

    @Test
    void aPoisonedEventIsParkedWhileLaterEventsAreProjected() {
        UUID poisoned = UUID.randomUUID();
        String eventId = poison.appendUnprojectableOrganization(poisoned);

        String laterId = commands.create("/api/v1/accounts", "{\"name\": \"After\", \"seats\": 0}");

        // The two organizations may sit on different segments, so neither order is guaranteed: wait for both.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
               .until(() -> Http.get(arbor.querySide, "/api/v1/accounts/" + laterId).status() == 200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
               .until(() -> poison.parkedCount(eventId) == 1);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + poisoned).status()).isEqualTo(404);

        JsonNode verified = Http.post(arbor.querySide, "/api/v1/admin/verify", null).body();
        assertThat(verified.get("consistent").asBoolean()).isFalse();
        assertThat(verified.get("unprojectableEvents").toString()).contains(eventId);

        JsonNode letter = poison.parked(eventId);
        assertThat(letter.get("processingGroup").asText()).isEqualTo("accounts");
        assertThat(letter.get("type").asText()).isEqualTo("AccountCreated");
        assertThat(letter.get("cause").asText()).containsIgnoringCase("too long");

        JsonNode retry = Http.post(arbor.querySide, "/api/v1/admin/dead-letters/accounts/retry", null).body();
        assertThat(retry.get("sequencesTried").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(poison.parkedCount(eventId)).as("still failing, so still parked").isEqualTo(1);

        String path = "/api/v1/admin/dead-letters/accounts/" + letter.get("id").asText();
        assertThat(Http.send(arbor.querySide, "DELETE", path, null).status()).isEqualTo(200);
        assertThat(poison.parkedCount(eventId)).isZero();
        assertThat(Http.send(arbor.querySide, "DELETE", path, null).status()).isEqualTo(404);
    }

    /**
     * Axon's sequenced dead-letter queue: once an event of an organization (the projection's sequence) is parked,
     * each later event of that organization is parked behind it without being handled, so none is applied out of
     * order. A retry takes the sequence's first letter and, as long as they succeed, the letters after it in order,
     * evicting each one handled.
     */
    @Test
    void theOrganizationsLaterEventsWaitBehindItsParkedOneAndARetryProjectsThemInOrder() {
        String name = "Refused " + UUID.randomUUID();
        String org;
        String child;
        try (PoisonedEvents.Refusal refusal = poison.refuseAccountsNamed(name)) {
            org = commands.create("/api/v1/accounts", "{\"name\": \"" + name + "\", \"seats\": 5}");
            child = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Behind\", \"seats\": 2}");
            commands.send("PATCH", "/api/v1/accounts/" + org, "{\"name\": \"Renamed\"}");
            List<String> appended = eventsOf(org, child);
            assertThat(appended).as("created, child added, child created, renamed").hasSize(4);

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                   .untilAsserted(() -> assertThat(poison.parkedInTheSequenceOf(org)).isEqualTo(appended));
            assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts?limit=1", commands.lastPosition(), 5_000)
                           .stale()).as("the processor has gone past them").isFalse();
            assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + child).status()).isEqualTo(404);
        }

        JsonNode retry = Http.post(arbor.querySide, "/api/v1/admin/dead-letters/accounts/retry", null).body();

        assertThat(retry.get("sequencesCleared").asInt()).isEqualTo(1);
        assertThat(poison.parkedInTheSequenceOf(org)).isEmpty();
        JsonNode projected = Http.get(arbor.querySide, "/api/v1/accounts/" + org).body();
        assertThat(projected.get("name").asText()).isEqualTo("Renamed");
        assertThat(projected.get("childCount").asInt()).isEqualTo(1);
        assertThat(projected.get("seats").get("total").asLong()).isEqualTo(3);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + child).body().get("parentId").asText())
                .isEqualTo(org);
        assertThat(Http.post(arbor.querySide, "/api/v1/admin/verify", null).body().get("mismatches").toString())
                .doesNotContain(org).doesNotContain(child);
    }

    /**
     * More events of one parked organization than Axon's dead-letter queue holds by default (1,024 a sequence): each
     * is parked, the processor goes on past them, and a retry projects them all. At Axon's default the next one failed
     * its batch again and again, and every organization of its segment stood still behind it.
     */
    @Test
    void aParkedOrganizationsEventsBeyondAxonsDefaultRoomAreParkedWhileTheProcessorGoesOn() {
        int renames = 1_100;
        String name = "Busy " + UUID.randomUUID();
        String org;
        try (PoisonedEvents.Refusal refusal = poison.refuseAccountsNamed(name)) {
            org = commands.create("/api/v1/accounts", "{\"name\": \"" + name + "\", \"seats\": 5}");
            for (int rename = 1; rename <= renames; rename++) {
                commands.send("PATCH", "/api/v1/accounts/" + org, "{\"name\": \"Renamed " + rename + "\"}");
            }

            assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts?limit=1", commands.lastPosition(), 30_000)
                           .stale()).as("the processor has gone past them").isFalse();
            List<String> parked = poison.parkedInTheSequenceOf(org);
            assertThat(parked).hasSize(1 + renames);
            assertThat(poison.listedEventIds().stream().filter(parked::contains))
                    .as("each listed once: Axon's own paging listed a long sequence many times over")
                    .hasSize(1 + renames);
        }

        JsonNode retry = Http.post(arbor.querySide, "/api/v1/admin/dead-letters/accounts/retry", null).body();

        assertThat(retry.get("sequencesCleared").asInt()).isEqualTo(1);
        assertThat(poison.parkedInTheSequenceOf(org)).isEmpty();
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + org).body().get("name").asText())
                .isEqualTo("Renamed " + renames);
    }

    /** The ids of the accounts' events, in the order of the store. */
    private List<String> eventsOf(String... accounts) {
        return arbor.database.sql("""
                                  SELECT event_identifier FROM event_store.domain_event_entry
                                   WHERE aggregate_identifier = ANY (?) ORDER BY global_index""")
                             .param(accounts).query(String.class).list();
    }
}
