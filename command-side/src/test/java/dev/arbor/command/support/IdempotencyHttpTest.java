package dev.arbor.command.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

@CommandSideTest
class IdempotencyHttpTest {

    private final CommandSideClient api;
    private final JdbcClient jdbc;

    @Autowired
    IdempotencyHttpTest(TestRestTemplate http, JdbcClient jdbc) {
        this.api = new CommandSideClient(http, jdbc);
        this.jdbc = jdbc;
    }

    @Test
    void aRetryReturnsTheFirstResponseAndExecutesNothing() {
        HttpHeaders headers = keyed(UUID.randomUUID().toString());
        String body = "{\"name\": \"Once\", \"seats\": 3}";

        ResponseEntity<JsonNode> first = api.send(HttpMethod.POST, "/api/v1/accounts", body, headers);
        long eventsAfterFirst = api.eventCount();
        ResponseEntity<JsonNode> retry = api.send(HttpMethod.POST, "/api/v1/accounts", body, keyed(headers));

        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(retry.getStatusCode().value()).isEqualTo(201);
        assertThat(retry.getBody()).isEqualTo(first.getBody());
        assertThat(retry.getHeaders().getLocation()).isEqualTo(first.getHeaders().getLocation());
        assertThat(retry.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.eventCount()).isEqualTo(eventsAfterFirst);
    }

    /** A page anyone may see sends no command, so it keeps no answer, and a key on it is no failure. */
    @Test
    void aKeyOnARequestWithoutACallerIsIgnored() {
        HttpHeaders anonymous = new HttpHeaders();
        anonymous.set(HttpHeaders.AUTHORIZATION, "");
        anonymous.set("Idempotency-Key", "anonymous-" + UUID.randomUUID());

        ResponseEntity<JsonNode> answer = api.send(HttpMethod.POST, "/error", null, anonymous);

        assertThat(answer.getStatusCode().is5xxServerError()).as(String.valueOf(answer.getBody())).isFalse();
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        api.send(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"A\", \"seats\": 1}", keyed(key));

        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"B\", \"seats\": 1}", keyed(key)),
                      422, "IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void aSeatTokensSecretIsNeitherKeptNorReplayed() {
        HttpHeaders headers = keyed(UUID.randomUUID().toString());

        ResponseEntity<JsonNode> issued = api.send(HttpMethod.POST, "/api/v1/seat-tokens", "{\"seats\": 2}", headers);
        ResponseEntity<JsonNode> replayed = api.send(HttpMethod.POST, "/api/v1/seat-tokens", "{\"seats\": 2}",
                                                     keyed(headers));

        String secret = issued.getBody().get("token").asText();
        assertThat(issued.getHeaders().getCacheControl()).isEqualTo("no-store");
        assertThat(replayed.getStatusCode().value()).isEqualTo(201);
        assertThat(replayed.getBody().toString()).doesNotContain(secret);
        assertThat(jdbc.sql("SELECT count(*) FROM command_lookup.idempotency_key WHERE response_body LIKE ?")
                       .param("%" + secret + "%").query(Long.class).single()).isZero();
    }

    @Test
    void aKeyBelongsToItsCallerAlone() {
        String org = api.create("/api/v1/accounts", 10);
        String user = api.send(HttpMethod.POST, "/api/v1/accounts/" + org + "/users",
                               "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}")
                         .getBody().get("id").asText();
        api.send(HttpMethod.POST, "/api/v1/users/" + user + "/permissions", "{\"grant\": [\"ACCOUNTS_ADD\"]}");
        String key = UUID.randomUUID().toString();
        String body = "{\"name\": \"Child\", \"seats\": 1}";

        ResponseEntity<JsonNode> admins = api.send(HttpMethod.POST, "/api/v1/accounts/" + org + "/children", body,
                                                   keyed(key));
        HttpHeaders asUser = keyed(key);
        asUser.setBearerAuth(TestTokens.user(UUID.fromString(user)));
        ResponseEntity<JsonNode> users = api.send(HttpMethod.POST, "/api/v1/accounts/" + org + "/children", body,
                                                  asUser);

        assertThat(users.getStatusCode().value()).isEqualTo(201);
        assertThat(users.getHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(users.getBody().get("id")).isNotEqualTo(admins.getBody().get("id"));
    }

    @Test
    void concurrentRequestsWithOneKeyExecuteOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        long eventsBefore = api.eventCount();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<ResponseEntity<JsonNode>>> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            responses.add(threads.submit(() -> api.send(HttpMethod.POST, "/api/v1/accounts",
                                                        "{\"name\": \"Racing\", \"seats\": 1}", keyed(key))));
        }
        List<JsonNode> bodies = new ArrayList<>();
        for (Future<ResponseEntity<JsonNode>> response : responses) {
            assertThat(response.get().getStatusCode().value()).isEqualTo(201);
            bodies.add(response.get().getBody());
        }
        threads.shutdown();

        assertThat(bodies).allMatch(body -> body.equals(bodies.get(0)));
        assertThat(api.eventCount()).isEqualTo(eventsBefore + 1);
    }

    @Test
    void aRefusedRequestLeavesTheKeyFree() {
        String key = UUID.randomUUID().toString();
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"\", \"seats\": 1}", keyed(key)),
                      400, "VALIDATION_FAILED");

        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"\", \"seats\": 1}", keyed(key))
                      .getStatusCode().value()).isEqualTo(400);
        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"\", \"seats\": 1}", keyed(key))
                      .getHeaders().getFirst("Idempotent-Replayed")).isNull();
    }

    private static HttpHeaders keyed(String key) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(IdempotencyFilter.HEADER, key);
        return headers;
    }

    private static HttpHeaders keyed(HttpHeaders original) {
        return keyed(original.getFirst(IdempotencyFilter.HEADER));
    }
}
