package dev.arbor.command.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.UUID;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code PUT /api/v1/accounts/{id}/usage} over HTTP against PostgreSQL (seed 001: connections, volume). */
@CommandSideTest
class UsageReportHttpTest {

    private final CommandSideClient api;

    @Autowired
    UsageReportHttpTest(TestRestTemplate http, JdbcClient jdbc) {
        this.api = new CommandSideClient(http, jdbc);
    }

    @Test
    void recordsTheReportAndChangesNothingOnARepeat() {
        String root = api.create("/api/v1/accounts", 0);
        api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"connections\": 2}");

        ResponseEntity<JsonNode> reported = api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/usage",
                                                     "{\"connections\": 5, \"volume\": 1200}");

        assertThat(reported.getStatusCode().value()).as("over the limit is reported, not refused").isEqualTo(200);
        assertThat(api.eventAt(reported.getBody().get("position").asLong()))
                .isEqualTo(root + "#2 dev.arbor.api.account.UsageReported");
        long events = api.eventCount();
        ResponseEntity<JsonNode> again = api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/usage",
                                                  "{\"volume\": 1200, \"connections\": 5}");
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getBody().get("version").asLong()).isEqualTo(2);
        assertThat(api.eventCount()).isEqualTo(events);
    }

    @Test
    void refusesWhatIsNotACounter() {
        String root = api.create("/api/v1/accounts", 0);
        String usage = "/api/v1/accounts/" + root + "/usage";

        assertProblem(api.send(HttpMethod.PUT, usage, "{\"connections\": -1}"), 400, "VALIDATION_FAILED");
        assertProblem(api.send(HttpMethod.PUT, usage, "{\"connections\": null}"), 400, "VALIDATION_FAILED");
        assertProblem(api.send(HttpMethod.PUT, usage, "{\"" + "c".repeat(65) + "\": 1}"), 400, "VALIDATION_FAILED");
        assertProblem(api.send(HttpMethod.PUT, usage, "{\"connections\": \"many\"}"), 400, "MALFORMED_REQUEST");
        assertProblem(api.send(HttpMethod.PUT, "/api/v1/accounts/" + UUID.randomUUID() + "/usage",
                               "{\"connections\": 1}"), 404, "NOT_FOUND");
    }

    @Test
    void aDeletedAccountReportsNothing() {
        String root = api.create("/api/v1/accounts", 0);
        String child = api.create("/api/v1/accounts/" + root + "/children", 0);
        api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null);

        assertProblem(api.send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/usage", "{\"connections\": 1}"),
                      409, "ACCOUNT_DELETED");
    }

    /** The platform's measurement: a user holding every permission may not set it, not even below its own account. */
    @Test
    void onlyThePlatformAdminReportsUsage() {
        String root = api.create("/api/v1/accounts", 0);
        String child = api.create("/api/v1/accounts/" + root + "/children", 0);
        String user = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/users",
                               "{\"email\": \"u-" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}")
                         .getBody().get("id").asText();
        api.send(HttpMethod.POST, "/api/v1/users/" + user + "/permissions",
                 "{\"grant\": [\"ACCOUNTS_ADD\", \"ACCOUNTS_EDIT\", \"ACCOUNTS_DELETE\", \"SEATS_MANAGE\", "
                 + "\"LIMITS_MANAGE\", \"USERS_MANAGE\", \"DEVICES_MANAGE\"]}");
        HttpHeaders asUser = new HttpHeaders();
        asUser.setBearerAuth(TestTokens.user(UUID.fromString(user)));
        long events = api.eventCount();

        assertProblem(api.send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/usage", "{\"connections\": 1}", asUser),
                      403, "PERMISSION_DENIED");
        assertThat(api.eventCount()).isEqualTo(events);
    }
}
