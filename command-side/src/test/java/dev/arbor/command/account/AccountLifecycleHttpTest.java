package dev.arbor.command.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Seat moves, suspension, deletion, limits and configuration over HTTP, against PostgreSQL. */
@CommandSideTest
class AccountLifecycleHttpTest {

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void movesSeatsAndAnswersTheGiversVersionAndTheLastPosition() {
        String root = create("/api/v1/accounts", 100);
        String child = create("/api/v1/accounts/" + root + "/children", 30);

        ResponseEntity<JsonNode> moved = send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers",
                                              "{\"to\": \"" + child + "\", \"seats\": 10}");

        assertThat(moved.getStatusCode().value()).isEqualTo(200);
        assertThat(moved.getBody().get("id").asText()).isEqualTo(root);
        assertThat(moved.getBody().get("version").asLong()).isEqualTo(2);
        assertThat(eventAt(moved.getBody().get("position").asLong()))
                .isEqualTo(child + "#1 dev.arbor.api.account.SeatsReceived");
        assertProblem(send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/seats", "{\"seats\": -1}"),
                      400, "VALIDATION_FAILED");
        assertThat(send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/seats", "{\"seats\": 5}")
                           .getStatusCode().value()).isEqualTo(200);
        assertProblem(send(HttpMethod.POST, "/api/v1/accounts/" + child + "/seat-transfers",
                           "{\"to\": \"" + root + "\", \"seats\": 6}"), 409, "INSUFFICIENT_SEATS");
    }

    @Test
    void repeatingASuspensionChangesNothingAndAnswersTheSameVersion() {
        String root = create("/api/v1/accounts", 0);

        JsonNode first = send(HttpMethod.POST, "/api/v1/accounts/" + root + "/suspend", "{\"reason\": \"unpaid\"}")
                .getBody();
        JsonNode again = send(HttpMethod.POST, "/api/v1/accounts/" + root + "/suspend", null).getBody();
        JsonNode lifted = send(HttpMethod.POST, "/api/v1/accounts/" + root + "/unsuspend", null).getBody();

        assertThat(first.get("version").asLong()).isEqualTo(1);
        assertThat(again).isEqualTo(first);
        assertThat(lifted.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void deletesAChildReturningItsSeatsButNeverARoot() {
        String root = create("/api/v1/accounts", 10);
        String child = create("/api/v1/accounts/" + root + "/children", 4);

        assertThat(send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null).getStatusCode().value()).isEqualTo(200);
        assertProblem(send(HttpMethod.DELETE, "/api/v1/accounts/" + root, null), 409, "ROOT_ACCOUNT");
        assertProblem(send(HttpMethod.POST, "/api/v1/accounts/" + child + "/seat-transfers",
                           "{\"to\": \"" + root + "\", \"seats\": 1}"), 409, "ACCOUNT_DELETED");
        assertThat(send(HttpMethod.POST, "/api/v1/accounts/" + child + "/reactivate", "{\"seats\": 10}")
                           .getStatusCode().value()).isEqualTo(200);
        assertProblem(send(HttpMethod.POST, "/api/v1/accounts/" + root + "/children",
                           "{\"name\": \"more\", \"seats\": 1}"), 409, "INSUFFICIENT_SEATS");
    }

    @Test
    void keepsChildLimitsWithinTheParents() {
        String root = create("/api/v1/accounts", 0);
        String child = create("/api/v1/accounts/" + root + "/children", 0);

        assertThat(send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 10}")
                           .getStatusCode().value()).isEqualTo(200);
        assertProblem(send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": 11}"),
                      409, "LIMIT_EXCEEDS_PARENT");
        assertProblem(send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": -1}"),
                      400, "VALIDATION_FAILED");
    }

    @Test
    void patchesDetailsAndConfiguration() {
        String root = create("/api/v1/accounts", 0);

        JsonNode renamed = send(HttpMethod.PATCH, "/api/v1/accounts/" + root,
                                "{\"name\": \"Renamed\", \"description\": null}").getBody();
        JsonNode configured = send(HttpMethod.PATCH, "/api/v1/accounts/" + root + "/config",
                                   "{\"billable\": true, \"properties\": {\"region\": \"eu\"}}").getBody();

        assertThat(renamed.get("version").asLong()).isEqualTo(1);
        assertThat(configured.get("version").asLong()).isEqualTo(2);
        assertProblem(send(HttpMethod.PATCH, "/api/v1/accounts/" + root, "{\"name\": \"\"}"), 400, "VALIDATION_FAILED");
    }

    @Test
    void answersNotFoundForAnUnknownAccount() {
        assertProblem(send(HttpMethod.POST, "/api/v1/accounts/0191e5b2-0000-7000-8000-00000000dead/seat-transfers",
                           "{\"to\": \"0191e5b2-0000-7000-8000-00000000beef\", \"seats\": 1}"), 404, "NOT_FOUND");
        assertProblem(send(HttpMethod.DELETE, "/api/v1/accounts/0191e5b2-0000-7000-8000-00000000dead", null),
                      404, "NOT_FOUND");
    }

    private String create(String path, long seats) {
        ResponseEntity<JsonNode> created = send(HttpMethod.POST, path,
                                                "{\"name\": \"Account\", \"seats\": " + seats + "}");
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        return created.getBody().get("id").asText();
    }

    private ResponseEntity<JsonNode> send(HttpMethod method, String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.exchange(path, method, new HttpEntity<>(json, headers), JsonNode.class);
    }

    private static void assertProblem(ResponseEntity<JsonNode> response, int status, String code) {
        assertThat(response.getStatusCode().value()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().get("code").asText()).isEqualTo(code);
    }

    private String eventAt(long position) {
        return jdbc.sql("""
                        SELECT aggregate_identifier || '#' || sequence_number || ' ' || payload_type
                          FROM event_store.domain_event_entry WHERE global_index = ?""")
                   .param(position).query(String.class).single();
    }
}
