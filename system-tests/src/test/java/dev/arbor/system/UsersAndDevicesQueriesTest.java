package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Users and devices as the query side shows them, following their commands. */
class UsersAndDevicesQueriesTest {

    private final RunningArbor arbor = RunningArbor.get();
    private long lastPosition;

    @Test
    void usersAndDevicesCanBeReadByIdAndByAccount() {
        String account = id(send("POST", "/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 2}"));
        String other = id(send("POST", "/api/v1/accounts/" + account + "/children", "{\"name\": \"Team\", \"seats\": 0}"));
        String email = "q-" + UUID.randomUUID() + "@example.com";
        String user = id(send("POST", "/api/v1/accounts/" + account + "/users",
                              "{\"email\": \"" + email + "\", \"name\": \"Quinn\"}"));
        Http.Response registered = send("POST", "/api/v1/accounts/" + account + "/devices",
                                        "{\"serial\": \"SN-" + user + "\", \"name\": \"Gateway\"}");

        JsonNode userView = read("/api/v1/users/" + user);
        assertThat(userView.get("email").asText()).isEqualTo(email);
        assertThat(userView.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(read("/api/v1/accounts/" + account + "/users").get("items").get(0).get("id").asText())
                .isEqualTo(user);
        JsonNode devices = read("/api/v1/accounts/" + account + "/devices");
        assertThat(devices.get("items")).hasSize(1);
        String device = devices.get("items").get(0).get("id").asText();
        assertThat(read("/api/v1/devices/" + device).get("name").asText()).isEqualTo("Gateway");
        assertThat(registered.status()).isEqualTo(201);

        send("POST", "/api/v1/users/" + user + "/change-account", "{\"accountId\": \"" + other + "\"}");
        send("POST", "/api/v1/users/" + user + "/deactivate", null);
        send("DELETE", "/api/v1/devices/" + device, null);

        JsonNode moved = read("/api/v1/users/" + user);
        assertThat(moved.get("accountId").asText()).isEqualTo(other);
        assertThat(moved.get("status").asText()).isEqualTo("DEACTIVATED");
        assertThat(read("/api/v1/accounts/" + account + "/devices").get("items")).isEmpty();
        assertThat(Http.get(arbor.querySide, "/api/v1/devices/" + device).status()).isEqualTo(404);
    }

    /** Walked page by page with the cursor, an account's users and devices come each exactly once, in list order. */
    @Test
    void usersAndDevicesArePagedByCursorWithoutGapsOrRepeats() {
        String account = id(send("POST", "/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 7}"));
        List<String> emails = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            emails.add("p-" + UUID.randomUUID() + "@example.com");
            send("POST", "/api/v1/accounts/" + account + "/users",
                 "{\"email\": \"" + emails.get(i) + "\", \"name\": \"User " + i + "\"}");
            serials.add("SN-" + UUID.randomUUID());
            send("POST", "/api/v1/accounts/" + account + "/devices",
                 "{\"serial\": \"" + serials.get(i) + "\", \"name\": \"Device " + i + "\"}");
        }
        String users = "/api/v1/accounts/" + account + "/users";
        String devices = "/api/v1/accounts/" + account + "/devices";

        assertThat(walk(users, 3)).containsExactlyElementsOf(Pages.items(read(users)))
                .extracting(user -> user.get("email").asText()).containsExactlyInAnyOrderElementsOf(emails);
        assertThat(walk(devices, 3)).containsExactlyElementsOf(Pages.items(read(devices)))
                .extracting(device -> device.get("serial").asText()).containsExactlyInAnyOrderElementsOf(serials);
        assertThat(Pages.items(read(users + "?offset=3&limit=3"))).as("by offset, the second page")
                .containsExactlyElementsOf(walk(users, 3).subList(3, 6));
    }

    private List<JsonNode> walk(String path, int limit) {
        return Pages.all(path + "?limit=" + limit, this::read);
    }


    private Http.Response send(String method, String path, String json) {
        Http.Response response = Http.send(arbor.commandSide, method, path, json);
        assertThat(response.status()).isBetween(200, 201);
        lastPosition = response.body().get("position").asLong();
        return response;
    }

    private static String id(Http.Response response) {
        return response.body().get("id").asText();
    }

    private JsonNode read(String path) {
        Http.Response response = Http.getAfter(arbor.querySide, path, lastPosition, 5_000);
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }
}
