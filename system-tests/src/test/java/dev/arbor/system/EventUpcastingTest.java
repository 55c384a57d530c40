package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDetailsUpdated;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events written before {@code AccountCreated} revision 2 (when {@code initialSeats} was {@code seats}) still load
 * into aggregates, project into the read model, show in the history, and replay, upcast on reading.
 */
class EventUpcastingTest {

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void aRevisionOneAccountCreatedIsReadAsRevisionTwoEverywhere() {
        UUID id = UUID.randomUUID();
        RawEvents.appendAccountEvent(arbor.database, id, 0, AccountCreated.class, "1", """
                {"accountId":"%s","rootId":"%s","parentId":null,"name":"Legacy","description":null,
                 "externalId":null,"seats":7,"limits":{}}""".formatted(id, id), "{\"actor\":\"legacy\"}");

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

        String projected = row(id);
        Processors.replay(arbor.querySide, "accounts", null);
        assertThat(row(id)).as("rebuilt from the revision 1 event, with its 7 seats").isEqualTo(projected);
    }

    /**
     * Events written before accounts had labels carry none: they load into the aggregate (which then takes a label
     * and keeps it through a rename), project as an account without a label, and replay to the same row.
     */
    @Test
    void eventsWrittenBeforeLabelsReadAsAnAccountWithoutOne() {
        UUID id = UUID.randomUUID();
        RawEvents.appendAccountEvent(arbor.database, id, 0, AccountCreated.class, "2", """
                {"accountId":"%s","rootId":"%s","parentId":null,"name":"Legacy","description":null,
                 "externalId":null,"initialSeats":0,"limits":{}}""".formatted(id, id), "{\"actor\":\"legacy\"}");
        RawEvents.appendAccountEvent(arbor.database, id, 1, AccountDetailsUpdated.class, "1", """
                {"accountId":"%s","rootId":"%s","name":"Older","description":null,"externalId":null}"""
                .formatted(id, id), "{\"actor\":\"legacy\"}");

        assertThat(arbor.commandSideBean(EventStore.class).readEvents(id.toString()).asStream()
                        .map(event -> (Object) event.getPayload()))
                .containsExactly(new AccountCreated(id, id, null, "Legacy", null, null, null, 0, Map.of()),
                                 new AccountDetailsUpdated(id, id, "Older", null, null, null));
        await().atMost(Duration.ofSeconds(10))
               .until(() -> Http.get(arbor.querySide, "/api/v1/accounts/" + id).status() == 200
                            && Http.get(arbor.querySide, "/api/v1/accounts/" + id).body().get("version").asLong() == 1);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + id).body().get("label").isNull()).isTrue();

        Commands admin = new Commands(arbor.commandSide);
        admin.send("PATCH", "/api/v1/accounts/" + id, "{\"label\": \"legacy\"}");
        admin.send("PATCH", "/api/v1/accounts/" + id, "{\"name\": \"Renamed\"}");
        JsonNode renamed = Http.getAfter(arbor.querySide, "/api/v1/accounts/" + id, admin.lastPosition()).body();
        assertThat(renamed.get("name").asText()).isEqualTo("Renamed");
        assertThat(renamed.get("label").asText()).as("kept through the rename").isEqualTo("legacy");

        String projected = row(id);
        Processors.replay(arbor.querySide, "accounts", null);
        assertThat(row(id)).isEqualTo(projected);
    }

    /** The account's row in the read model as PostgreSQL prints it. */
    private String row(UUID id) {
        return arbor.database.sql("SELECT a::text FROM read_model.account a WHERE id = ?").param(id)
                             .query(String.class).single();
    }
}
