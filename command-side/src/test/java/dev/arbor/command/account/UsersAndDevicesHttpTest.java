package dev.arbor.command.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.UUID;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Users and devices over HTTP, with the uniqueness rules PostgreSQL enforces. */
@CommandSideTest
class UsersAndDevicesHttpTest {

    private final CommandSideClient api;

    @Autowired
    UsersAndDevicesHttpTest(TestRestTemplate http, JdbcClient jdbc) {
        this.api = new CommandSideClient(http, jdbc);
    }

    @Test
    void emailsAreUniqueRegardlessOfCase() {
        String account = api.create("/api/v1/accounts", 0);
        String email = "ann-" + UUID.randomUUID() + "@example.com";

        ResponseEntity<JsonNode> added = api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/users",
                                                  "{\"email\": \"" + email + "\", \"name\": \"Ann\"}");
        long eventsBefore = api.eventCount();

        assertThat(added.getStatusCode().value()).isEqualTo(201);
        assertThat(added.getHeaders().getLocation()).hasToString(
                "http://localhost:8081/api/v1/users/" + added.getBody().get("id").asText());
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/users",
                               "{\"email\": \"" + email.toUpperCase() + "\", \"name\": \"Ann again\"}"),
                      409, "DUPLICATE_EMAIL");
        assertThat(api.eventCount()).isEqualTo(eventsBefore);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/users",
                               "{\"email\": \"not an email\", \"name\": \"\"}"), 400, "VALIDATION_FAILED");
    }

    @Test
    void usersHoldTheirAccountUntilDeactivated() {
        String root = api.create("/api/v1/accounts", 0);
        String child = api.create("/api/v1/accounts/" + root + "/children", 0);
        String user = api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/users",
                               "{\"email\": \"u-" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}")
                         .getBody().get("id").asText();

        assertProblem(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null), 409, "HAS_USERS");
        assertThat(api.send(HttpMethod.POST, "/api/v1/users/" + user + "/change-account",
                            "{\"accountId\": \"" + root + "\"}").getStatusCode().value()).isEqualTo(200);
        assertThat(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null).getStatusCode().value())
                .isEqualTo(200);
        assertThat(api.send(HttpMethod.POST, "/api/v1/users/" + user + "/deactivate", null)
                      .getStatusCode().value()).isEqualTo(200);
        assertThat(api.send(HttpMethod.POST, "/api/v1/users/" + user + "/reactivate", null)
                      .getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void devicesTakeSeatsAndSerialsAreUnique() {
        String account = api.create("/api/v1/accounts", 1);
        String serial = "SN-" + UUID.randomUUID();
        String device = "{\"serial\": \"" + serial + "\", \"name\": \"Sensor\"}";

        ResponseEntity<JsonNode> registered = api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/devices", device);

        assertThat(registered.getStatusCode().value()).isEqualTo(201);
        assertThat(registered.getBody().get("id").asText()).isEqualTo(account);
        String location = registered.getHeaders().getLocation().toString();
        String deviceId = location.substring(location.lastIndexOf('/') + 1);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/devices", device),
                      409, "INSUFFICIENT_SEATS");
        String other = api.create("/api/v1/accounts", 1);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + other + "/devices", device),
                      409, "DUPLICATE_SERIAL");
        assertThat(api.send(HttpMethod.DELETE, "/api/v1/devices/" + deviceId, null).getStatusCode().value())
                .isEqualTo(200);
        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts/" + other + "/devices", device)
                      .getStatusCode().value()).isEqualTo(201);
        assertProblem(api.send(HttpMethod.DELETE, "/api/v1/devices/" + deviceId, null), 404, "NOT_FOUND");
    }
}
