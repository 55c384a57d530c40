package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.account.AccountCreated;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events written before {@code AccountCreated} revision 2 (when {@code initialSeats} was {@code seats}) still load
 * into aggregates, project into the read model, and show in the history, upcast on reading.
 */
class EventUpcastingTest {

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void aRevisionOneAccountCreatedIsReadAsRevisionTwoEverywhere() {
        UUID id = UUID.randomUUID();
        arbor.database.sql("""
                        INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                                event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                        VALUES (?, 0, 'Account', ?, convert_to('{"actor":"legacy"}', 'UTF8'), convert_to(?, 'UTF8'),
                                '1', 'dev.arbor.api.account.AccountCreated', ?)""")
                      .params(id.toString(), UUID.randomUUID().toString(), """
                              {"accountId":"%s","rootId":"%s","parentId":null,"name":"Legacy","description":null,
                               "externalId":null,"seats":7,"limits":{}}""".formatted(id, id),
                              Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                      .update();

        Object loaded = arbor.commandSideBean(EventStore.class).readEvents(id.toString()).next().getPayload();
        assertThat(loaded).isInstanceOfSatisfying(AccountCreated.class,
                                                  created -> assertThat(created.initialSeats()).isEqualTo(7));

        await().atMost(Duration.ofSeconds(10))
               .until(() -> Http.get(arbor.querySide, "/api/v1/accounts/" + id).status() == 200);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + id).body().get("seats").get("total").asLong())
                .isEqualTo(7);

        JsonNode created = Http.get(arbor.querySide, "/api/v1/accounts/" + id + "/history").body().get("items").get(0);
        assertThat(created.get("payload").get("initialSeats").asLong()).isEqualTo(7);
        assertThat(created.get("payload").has("seats")).isFalse();
        assertThat(created.get("actor").asText()).isEqualTo("legacy");
    }
}
