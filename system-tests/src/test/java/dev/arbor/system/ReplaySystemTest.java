package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replaying every event into an emptied read model rebuilds exactly the rows the live projection keeps, whatever had
 * happened to them.
 */
class ReplaySystemTest {

    private static final List<String> TABLES = List.of("account", "app_user", "device");

    private final RunningArbor arbor = RunningArbor.get();
    private long lastPosition;

    @Test
    void aReplayFromTheFirstEventRebuildsTheSameReadModel() {
        givenAHistoryWithEveryKindOfChange();
        assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts?limit=1", lastPosition, 10_000).stale())
                .isFalse();
        List<String> live = readModel();
        // Damage that only a rebuild from the events can repair: rows not newer than their events are left alone.
        arbor.database.sql("UPDATE read_model.account SET name = 'tampered', child_count = 99").update();
        arbor.database.sql("DELETE FROM read_model.device").update();

        Http.Response replay = Http.post(arbor.querySide, "/api/v1/admin/processors/accounts/replay", null);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.body().get("replaying").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(this::caughtUp);

        assertThat(readModel()).isEqualTo(live);
    }

    private boolean caughtUp() {
        JsonNode processor = Http.get(arbor.querySide, "/api/v1/admin/processors/accounts").body();
        return !processor.get("replaying").asBoolean() && processor.get("lag").asLong() == 0
                && processor.get("state").asText().equals("RUNNING");
    }

    private void givenAHistoryWithEveryKindOfChange() {
        String org = create("/api/v1/accounts", "{\"name\": \"Replayed\", \"seats\": 100}");
        String a = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"a\", \"seats\": 30}");
        String b = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"b\", \"seats\": 20}");
        String a1 = create("/api/v1/accounts/" + a + "/children", "{\"name\": \"a1\", \"seats\": 10}");
        String gone = create("/api/v1/accounts/" + b + "/children", "{\"name\": \"gone\", \"seats\": 5}");
        command("POST", "/api/v1/accounts/" + org + "/seat-transfers", "{\"to\": \"" + b + "\", \"seats\": 3}");
        command("POST", "/api/v1/accounts/" + a1 + "/move", "{\"newParentId\": \"" + b + "\"}");
        command("POST", "/api/v1/accounts/" + a + "/suspend", null);
        command("DELETE", "/api/v1/accounts/" + gone, null);
        command("PUT", "/api/v1/accounts/" + b + "/limits", "{\"users\": 5}");
        command("PATCH", "/api/v1/accounts/" + b + "/config", "{\"billable\": false}");
        create("/api/v1/accounts/" + b + "/users", "{\"email\": \"replay-" + b + "@example.com\", \"name\": \"U\"}");
        create("/api/v1/accounts/" + a1 + "/devices", "{\"serial\": \"replay-" + a1 + "\", \"name\": \"D\"}");
    }

    /** Every row of the read model, as PostgreSQL prints it, in a stable order. */
    private List<String> readModel() {
        return TABLES.stream()
                     .flatMap(table -> arbor.database.sql("SELECT t::text FROM read_model." + table + " t ORDER BY id")
                                                     .query(String.class).list().stream())
                     .toList();
    }

    private String create(String path, String json) {
        Http.Response created = Http.post(arbor.commandSide, path, json);
        assertThat(created.status()).as(path).isEqualTo(201);
        lastPosition = created.body().get("position").asLong();
        return created.body().get("id").asText();
    }

    private void command(String method, String path, String json) {
        Http.Response done = Http.send(arbor.commandSide, method, path, json);
        assertThat(done.status()).as(path).isEqualTo(200);
        lastPosition = done.body().get("position").asLong();
    }
}
