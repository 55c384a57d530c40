package dev.arbor.command.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

@CommandSideTest
class AccountCommandsHttpTest {

    private final CommandSideClient api;

    @Autowired
    AccountCommandsHttpTest(TestRestTemplate http, JdbcClient jdbc) {
        this.api = new CommandSideClient(http, jdbc);
    }

    @Test
    void createsARootAccountAndAnswersWhereToReadIt() {
        ResponseEntity<JsonNode> response = post("/api/v1/accounts", """
                {"name": "  Acme Corp  ", "description": "Anvils", "externalId": "acme-http", "seats": 100}""");

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        String id = response.getBody().get("id").asText();
        assertThat(response.getHeaders().getLocation())
                .hasToString("http://localhost:8081/api/v1/accounts/" + id);
        assertThat(response.getBody().get("version").asLong()).isZero();
        long position = response.getBody().get("position").asLong();
        assertThat(api.eventAt(position)).isEqualTo(id + "#0 dev.arbor.api.account.AccountCreated");
    }

    @Test
    void createsAChildWithSeatsTakenFromItsParent() {
        String parent = createRoot(50);

        ResponseEntity<JsonNode> response = post("/api/v1/accounts/" + parent + "/children", """
                {"name": "Acme EU", "seats": 50}""");

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        String child = response.getBody().get("id").asText();
        long position = response.getBody().get("position").asLong();
        assertThat(api.eventAt(position)).isEqualTo(child + "#0 dev.arbor.api.account.AccountCreated");
        assertThat(api.eventAt(position - 1)).isEqualTo(parent + "#1 dev.arbor.api.account.ChildAccountAdded");
    }

    @Test
    void refusesAChildWithMoreSeatsThanTheParentHasFreeAndChangesNothing() {
        String parent = createRoot(10);
        long eventsBefore = api.eventCount();

        ResponseEntity<JsonNode> response = post("/api/v1/accounts/" + parent + "/children", """
                {"name": "Too big", "seats": 11}""");

        assertProblem(response, 409, "INSUFFICIENT_SEATS");
        assertThat(response.getBody().get("detail").asText()).contains("10 free seats; 11 requested");
        assertThat(api.eventCount()).isEqualTo(eventsBefore);
    }

    @Test
    void everyEventRecordsWhoWhyAndInWhichRequest() {
        HttpHeaders headers = new HttpHeaders();
        // who is the authenticated caller, never a header a client could set
        headers.set("X-Actor", "mallory@example.com");
        headers.set("X-Request-Id", "req-42");
        headers.set("X-Reason", "onboarding");

        ResponseEntity<JsonNode> response = api.send(HttpMethod.POST, "/api/v1/accounts",
                                                     "{\"name\": \"Acme\", \"seats\": 1}", headers);

        assertThat(response.getHeaders().getFirst("X-Request-Id")).isEqualTo("req-42");
        JsonNode metadata = json(api.metadataAt(response.getBody().get("position").asLong()));
        assertThat(metadata.get("actor").asText()).isEqualTo("admin");
        assertThat(metadata.get("correlationId").asText()).isEqualTo("req-42");
        assertThat(metadata.get("reason").asText()).isEqualTo("onboarding");
        assertThat(metadata.get("causationId").asText()).isNotBlank().isNotEqualTo("req-42");
    }

    @Test
    void aRequestWithoutAnIdGetsAGeneratedCorrelationId() {
        ResponseEntity<JsonNode> response = post("/api/v1/accounts", "{\"name\": \"Acme\", \"seats\": 1}");

        String requestId = response.getHeaders().getFirst("X-Request-Id");
        JsonNode metadata = json(api.metadataAt(response.getBody().get("position").asLong()));
        assertThat(requestId).isNotBlank();
        assertThat(metadata.get("correlationId").asText()).isEqualTo(requestId);
        assertThat(metadata.has("reason")).isFalse();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void listsEveryInvalidField() {
        ResponseEntity<JsonNode> response = post("/api/v1/accounts", """
                {"name": "   ", "description": "%s", "seats": -1}""".formatted("d".repeat(2001)));

        assertProblem(response, 400, "VALIDATION_FAILED");
        assertThat(response.getBody().get("errors").findValuesAsText("field"))
                .containsExactly("description", "name", "seats");
    }

    @Test
    void refusesBodiesThatAreNotJsonOfTheExpectedShape() {
        assertProblem(post("/api/v1/accounts", "{\"name\": \"Acme\", "), 400, "MALFORMED_REQUEST");
        assertProblem(post("/api/v1/accounts", "{\"name\": 42, \"seats\": 1}"), 400, "MALFORMED_REQUEST");
        assertProblem(post("/api/v1/accounts", "{\"name\": \"Acme\", \"seats\": \"many\"}"), 400, "MALFORMED_REQUEST");
        assertProblem(post("/api/v1/accounts", "{\"name\": \"Acme\", \"seats\": 1, \"owner\": \"me\"}"), 400,
                      "MALFORMED_REQUEST");
        assertProblem(post("/api/v1/accounts", "{\"name\": \"Acme\", \"seats\": 9223372036854775808}"), 400,
                      "MALFORMED_REQUEST");
    }

    @Test
    void refusesBodiesOver64KiBAndChangesNothing() {
        long eventsBefore = api.eventCount();
        String huge = "{\"name\": \"Acme\", \"seats\": 1, \"description\": \"" + "d".repeat(70_000) + "\"}";

        assertProblem(post("/api/v1/accounts", huge), 413, "PAYLOAD_TOO_LARGE");
        assertThat(api.eventCount()).isEqualTo(eventsBefore);
    }

    /** A chunked body's framing can trickle in without data, out of the body deadline's reach: refused unread. */
    @Test
    void refusesABodySentWithoutALengthAndChangesNothing(@LocalServerPort int port) throws Exception {
        long eventsBefore = api.eventCount();
        String body = "{\"name\": \"Chunked\", \"seats\": 1}";
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/accounts"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.admin())
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(411);
        assertThat(response.body()).contains("\"code\":\"LENGTH_REQUIRED\"");
        assertThat(api.eventCount()).isEqualTo(eventsBefore);
    }

    @Test
    void answersNotFoundForAnUnknownOrUnparsableParent() {
        String body = "{\"name\": \"Orphan\", \"seats\": 0}";
        assertProblem(post("/api/v1/accounts/0191e5b2-0000-7000-8000-00000000dead/children", body), 404, "NOT_FOUND");
        assertProblem(post("/api/v1/accounts/not-an-id/children", body), 404, "NOT_FOUND");
    }

    /** A field a patch leaves out is kept, one given as null is cleared, and a patch that changes nothing appends nothing. */
    @Test
    void aPatchKeepsWhatItLeavesOutAndClearsWhatItGivesAsNull() {
        String id = post("/api/v1/accounts", """
                {"name": "Patched", "description": "Anvils", "externalId": "patched-http", "seats": 1}""")
                .getBody().get("id").asText();
        String path = "/api/v1/accounts/" + id;

        assertThat(api.send(HttpMethod.PATCH, path, "{}").getBody().get("version").asLong()).isZero();
        assertThat(api.send(HttpMethod.PATCH, path, """
                {"name": "Renamed"}""").getBody().get("version").asLong()).isEqualTo(1);
        assertThat(api.send(HttpMethod.PATCH, path, """
                {"description": "Anvils", "externalId": "patched-http"}""").getBody().get("version").asLong())
                .as("both kept by the rename, so unchanged").isEqualTo(1);
        assertThat(api.send(HttpMethod.PATCH, path, """
                {"description": null}""").getBody().get("version").asLong()).as("cleared").isEqualTo(2);
        assertThat(api.send(HttpMethod.PATCH, path, """
                {"description": null, "externalId": "patched-http"}""").getBody().get("version").asLong())
                .as("already clear, the external id kept").isEqualTo(2);
    }

    private String createRoot(long seats) {
        return api.create("/api/v1/accounts", seats);
    }

    private ResponseEntity<JsonNode> post(String path, String json) {
        return api.send(HttpMethod.POST, path, json);
    }
}
