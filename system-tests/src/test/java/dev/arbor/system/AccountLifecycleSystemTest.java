package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Seat moves, suspension, deletion and reactivation on the command side, as the query side then shows them. */
class AccountLifecycleSystemTest {

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void theReadModelFollowsEveryChange() {
        String root = created(Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 100}"));
        String child = created(Http.post(arbor.commandSide, "/api/v1/accounts/" + root + "/children",
                                          "{\"name\": \"Team\", \"seats\": 30}"));

        command("POST", "/api/v1/accounts/" + root + "/seat-transfers", "{\"to\": \"" + child + "\", \"seats\": 10}");
        assertThat(seatsAndStatus(root, 2)).isEqualTo("60 ACTIVE");
        assertThat(seatsAndStatus(child, 1)).isEqualTo("40 ACTIVE");

        command("POST", "/api/v1/accounts/" + child + "/suspend", "{\"reason\": \"unpaid\"}");
        assertThat(seatsAndStatus(child, 2)).isEqualTo("40 SUSPENDED");

        command("DELETE", "/api/v1/accounts/" + child, null);
        assertThat(seatsAndStatus(child, 3)).isEqualTo("0 DELETED");
        assertThat(seatsAndStatus(root, 3)).isEqualTo("100 ACTIVE");

        command("POST", "/api/v1/accounts/" + child + "/reactivate", "{\"seats\": 5}");
        assertThat(seatsAndStatus(child, 4)).isEqualTo("5 ACTIVE");
        assertThat(seatsAndStatus(root, 4)).isEqualTo("95 ACTIVE");

        String sibling = created(Http.post(arbor.commandSide, "/api/v1/accounts/" + root + "/children",
                                           "{\"name\": \"Sibling\", \"seats\": 0}"));
        String grandchild = created(Http.post(arbor.commandSide, "/api/v1/accounts/" + child + "/children",
                                              "{\"name\": \"Grandchild\", \"seats\": 0}"));
        command("POST", "/api/v1/accounts/" + child + "/move", "{\"newParentId\": \"" + sibling + "\"}");
        JsonNode moved = awaitVersion(child, 6);
        assertThat(moved.get("parentId").asText()).isEqualTo(sibling);
        assertThat(moved.get("depth").asInt()).isEqualTo(2);
        assertThat(awaitVersion(grandchild, 0).get("depth").asInt()).isEqualTo(3);

        command("PATCH", "/api/v1/accounts/" + child, "{\"name\": \"Team B\", \"externalId\": \"team-b\"}");
        JsonNode renamed = awaitVersion(child, 7);
        assertThat(renamed.get("name").asText()).isEqualTo("Team B");
        assertThat(renamed.get("externalId").asText()).isEqualTo("team-b");

        assertThat(Http.post(arbor.commandSide, "/api/v1/accounts/" + child + "/devices",
                             "{\"serial\": \"" + java.util.UUID.randomUUID() + "\", \"name\": \"Sensor\"}")
                       .status()).isEqualTo(201);
        assertThat(awaitVersion(child, 8).get("seats").toString()).isEqualTo("{\"total\":5,\"used\":1,\"free\":4}");
    }

    private void command(String method, String path, String json) {
        assertThat(Http.send(arbor.commandSide, method, path, json).status()).isEqualTo(200);
    }

    private static String created(Http.Response response) {
        assertThat(response.status()).isEqualTo(201);
        return response.body().get("id").asText();
    }

    private String seatsAndStatus(String id, long version) {
        JsonNode view = awaitVersion(id, version);
        return view.get("seats").get("total").asLong() + " " + view.get("status").asText();
    }

    private JsonNode awaitVersion(String id, long version) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                      .until(() -> Http.get(arbor.querySide, "/api/v1/accounts/" + id),
                             response -> response.status() == 200 && response.body().get("version").asLong() >= version)
                      .body();
    }
}
