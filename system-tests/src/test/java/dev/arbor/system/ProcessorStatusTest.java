package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin API's account of the event processors agrees with the token store and the event store, and a
 * processor's last error stays in it after the processor has recovered.
 */
class ProcessorStatusTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final Commands commands = new Commands(arbor.commandSide);
    private final PoisonedEvents poison = new PoisonedEvents(arbor);

    @Test
    void caughtUpEverySegmentIsAtTheHeadOfTheStoreWithTheOwnerTheTokenStoreNames() {
        commands.create("/api/v1/accounts", "{\"name\": \"Status\", \"seats\": 0}");
        List.of("accounts", "audit").forEach(processor -> Processors.awaitCaughtUp(arbor.querySide, processor));
        long head = arbor.store.head();

        JsonNode processors = Http.get(arbor.querySide, "/api/v1/admin/processors").body();

        assertThat(processors).extracting(processor -> processor.get("name").asText())
                              .containsExactly("accounts", "audit");
        for (JsonNode processor : processors) {
            String name = processor.get("name").asText();
            assertThat(processor.get("state").asText()).as(name).isEqualTo("RUNNING");
            assertThat(processor.get("head").asLong()).as(name).isEqualTo(head);
            assertThat(processor.get("position").asLong()).as(name).isEqualTo(head);
            assertThat(processor.get("lag").asLong()).as(name).isZero();
            assertThat(processor.get("replaying").asBoolean()).as(name).isFalse();
            Map<Integer, String> owners = arbor.store.ownersBySegment(name);
            List<JsonNode> segments = new ArrayList<>();
            processor.get("segments").forEach(segments::add);
            assertThat(segments).extracting(segment -> segment.get("segment").asInt())
                                .as(name).containsExactlyElementsOf(owners.keySet());
            assertThat(segments).allSatisfy(segment -> {
                String owner = owners.get(segment.get("segment").asInt());
                assertThat(owner).isEqualTo(ManagementFactory.getRuntimeMXBean().getName());
                assertThat(segment.get("owner").asText()).isEqualTo(owner);
                assertThat(segment.get("thisNode").asBoolean()).isTrue();
                assertThat(segment.get("position").asLong()).isEqualTo(head);
                assertThat(segment.get("lag").asLong()).isZero();
                assertThat(segment.get("replaying").asBoolean()).isFalse();
                assertThat(segment.get("replayProgress").isNull()).isTrue();
                assertThat(segment.get("error").isNull()).isTrue();
            });
        }
    }

    /**
     * A segment's error lasts only until Axon claims the segment again after the failed batch; the processor's
     * {@code lastError} (here: the first, failed try of an event that is then parked) stays.
     */
    @Test
    void aProcessorsLastErrorStaysAfterItHasRecovered() {
        Instant before = Instant.now();
        String name = "Refused " + UUID.randomUUID();
        String org;
        try (PoisonedEvents.Refusal refusal = poison.refuseAccountsNamed(name)) {
            org = commands.create("/api/v1/accounts", "{\"name\": \"" + name + "\", \"seats\": 0}");
            await().atMost(Duration.ofSeconds(15)).until(() -> !poison.parkedInTheSequenceOf(org).isEmpty());
        }
        String eventId = poison.parkedInTheSequenceOf(org).get(0);
        Processors.awaitCaughtUp(arbor.querySide, "accounts");

        JsonNode recovered = Processors.status(arbor.querySide, "accounts");

        assertThat(recovered.get("segments")).allSatisfy(segment -> assertThat(segment.get("error").isNull()).isTrue());
        JsonNode lastError = recovered.get("lastError");
        assertThat(Instant.parse(lastError.get("at").asText())).isBetween(before, Instant.now());
        assertThat(lastError.get("error").asText()).contains("Handling event " + eventId + " failed",
                                                             "account " + org + " refused by the test");

        // leaves the read model as the events say: the event goes through now that nothing refuses it
        Http.post(arbor.querySide, "/api/v1/admin/dead-letters/accounts/retry", null);
        assertThat(poison.parkedCount(eventId)).isZero();
    }
}
