package dev.arbor.command.dryrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dry runs over real HTTP on the embedded PostgreSQL: every command endpoint the command side maps answers the
 * events its real run then appends, and leaves the event store, the lookup tables and the idempotency keys as they
 * were; a refusal answers as the real command's does.
 */
@CommandSideTest
class DryRunHttpTest {

    private static final Set<RequestMethod> COMMAND_METHODS = Set.of(RequestMethod.POST, RequestMethod.PUT,
                                                                      RequestMethod.PATCH, RequestMethod.DELETE);

    private final CommandSideClient api;
    private final JdbcClient jdbc;
    private final RequestMappingHandlerMapping mappings;

    @Autowired
    DryRunHttpTest(TestRestTemplate http, JdbcClient jdbc,
                   @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.api = new CommandSideClient(http, jdbc);
        this.jdbc = jdbc;
        this.mappings = mappings;
    }

    private record Request(HttpMethod method, String path, String body) {
    }

    /** Per endpoint (method and path pattern as mapped), a request to it that succeeds, made with its fixtures. */
    private Map<String, Supplier<Request>> scenarios() {
        Map<String, Supplier<Request>> scenarios = new LinkedHashMap<>();
        scenarios.put("POST /api/v1/accounts", () -> new Request(HttpMethod.POST, "/api/v1/accounts",
                                                                 "{\"name\": \"Dry root\", \"seats\": 2}"));
        scenarios.put("POST /api/v1/accounts/{parentId}/children", () -> new Request(HttpMethod.POST,
                "/api/v1/accounts/" + root(10) + "/children", "{\"name\": \"Dry child\", \"seats\": 3}"));
        scenarios.put("PATCH /api/v1/accounts/{id}", () -> new Request(HttpMethod.PATCH,
                "/api/v1/accounts/" + root(0), "{\"name\": \"Renamed\"}"));
        scenarios.put("POST /api/v1/accounts/{id}/move", () -> {
            String root = root(0);
            String moved = api.create("/api/v1/accounts/" + root + "/children", 0);
            String target = api.create("/api/v1/accounts/" + root + "/children", 0);
            return new Request(HttpMethod.POST, "/api/v1/accounts/" + moved + "/move",
                               "{\"newParentId\": \"" + target + "\"}");
        });
        scenarios.put("POST /api/v1/accounts/{id}/seat-transfers", () -> {
            String root = root(10);
            String child = api.create("/api/v1/accounts/" + root + "/children", 0);
            return new Request(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers",
                               "{\"to\": \"" + child + "\", \"seats\": 4}");
        });
        scenarios.put("PUT /api/v1/accounts/{id}/seats", () -> new Request(HttpMethod.PUT,
                "/api/v1/accounts/" + child(root(10), 1) + "/seats", "{\"seats\": 5}"));
        scenarios.put("POST /api/v1/accounts/{id}/suspend", () -> new Request(HttpMethod.POST,
                "/api/v1/accounts/" + child(root(0), 0) + "/suspend", "{\"reason\": \"dry\"}"));
        scenarios.put("POST /api/v1/accounts/{id}/unsuspend", () -> {
            String child = child(root(0), 0);
            ok(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/suspend", null));
            return new Request(HttpMethod.POST, "/api/v1/accounts/" + child + "/unsuspend", null);
        });
        scenarios.put("DELETE /api/v1/accounts/{id}", () -> new Request(HttpMethod.DELETE,
                "/api/v1/accounts/" + child(root(5), 2), null));
        scenarios.put("POST /api/v1/accounts/{id}/reactivate", () -> {
            String child = child(root(5), 2);
            ok(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null));
            return new Request(HttpMethod.POST, "/api/v1/accounts/" + child + "/reactivate", "{\"seats\": 1}");
        });
        scenarios.put("PUT /api/v1/accounts/{id}/limits", () -> new Request(HttpMethod.PUT,
                "/api/v1/accounts/" + root(0) + "/limits", "{\"users\": 5}"));
        scenarios.put("PATCH /api/v1/accounts/{id}/limits", () -> new Request(HttpMethod.PATCH,
                "/api/v1/accounts/" + root(0) + "/limits", "{\"devices\": 3}"));
        scenarios.put("PUT /api/v1/accounts/{id}/usage", () -> new Request(HttpMethod.PUT,
                "/api/v1/accounts/" + root(0) + "/usage", "{\"users\": 1}"));
        scenarios.put("PATCH /api/v1/accounts/{id}/config", () -> new Request(HttpMethod.PATCH,
                "/api/v1/accounts/" + root(0) + "/config", "{\"billable\": true}"));
        scenarios.put("POST /api/v1/accounts/{accountId}/users", () -> new Request(HttpMethod.POST,
                "/api/v1/accounts/" + root(0) + "/users", userBody()));
        scenarios.put("POST /api/v1/users/{userId}/change-account", () -> {
            String root = root(0);
            String other = child(root, 0);
            return new Request(HttpMethod.POST, "/api/v1/users/" + user(root) + "/change-account",
                               "{\"accountId\": \"" + other + "\"}");
        });
        scenarios.put("POST /api/v1/users/{userId}/deactivate", () -> new Request(HttpMethod.POST,
                "/api/v1/users/" + user(root(0)) + "/deactivate", null));
        scenarios.put("POST /api/v1/users/{userId}/reactivate", () -> {
            String user = user(root(0));
            ok(api.send(HttpMethod.POST, "/api/v1/users/" + user + "/deactivate", null));
            return new Request(HttpMethod.POST, "/api/v1/users/" + user + "/reactivate", null);
        });
        scenarios.put("POST /api/v1/users/{userId}/permissions", () -> new Request(HttpMethod.POST,
                "/api/v1/users/" + user(root(0)) + "/permissions", "{\"grant\": [\"USERS_MANAGE\"]}"));
        scenarios.put("POST /api/v1/seat-tokens", () -> new Request(HttpMethod.POST, "/api/v1/seat-tokens",
                                                                    "{\"seats\": 2}"));
        scenarios.put("POST /api/v1/accounts/{id}/seat-tokens/redeem", () -> {
            ResponseEntity<JsonNode> token = ok(api.send(HttpMethod.POST, "/api/v1/seat-tokens", "{\"seats\": 2}"));
            return new Request(HttpMethod.POST, "/api/v1/accounts/" + root(0) + "/seat-tokens/redeem",
                               "{\"token\": \"" + token.getBody().get("token").asText() + "\"}");
        });
        scenarios.put("POST /api/v1/accounts/{accountId}/devices", () -> new Request(HttpMethod.POST,
                "/api/v1/accounts/" + root(3) + "/devices", deviceBody()));
        scenarios.put("DELETE /api/v1/devices/{deviceId}", () -> {
            String root = root(3);
            String device = ok(api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/devices", deviceBody()))
                    .getBody().get("id").asText();
            String deviceId = jdbc.sql("SELECT id::text FROM command_lookup.device WHERE account_id = CAST(? AS uuid)")
                                  .param(device).query(String.class).single();
            return new Request(HttpMethod.DELETE, "/api/v1/devices/" + deviceId, null);
        });
        return scenarios;
    }

    @Test
    void everyCommandEndpointHasAScenario() {
        assertThat(scenarios().keySet()).containsExactlyInAnyOrderElementsOf(commandEndpoints());
    }

    @Test
    void everyCommandRunDryAnswersTheEventsItsRealRunAppendsAndChangesNothing() {
        scenarios().forEach((endpoint, scenario) -> {
            Request request = scenario.get();
            String key = "dry-" + UUID.randomUUID();
            Map<String, Object> before = state();

            ResponseEntity<JsonNode> dry = api.send(request.method(), request.path(), request.body(), dryRun(key));

            assertThat(dry.getStatusCode().value()).as(endpoint + ": " + dry.getBody()).isEqualTo(200);
            assertThat(dry.getBody().get("dryRun").asBoolean()).as(endpoint).isTrue();
            assertThat(state()).as(endpoint + " run dry changes nothing").isEqualTo(before);

            long lastBefore = lastPosition();
            HttpHeaders real = new HttpHeaders();
            if (request.method() == HttpMethod.POST) {
                real.set("Idempotency-Key", key);
            }
            ResponseEntity<JsonNode> done = api.send(request.method(), request.path(), request.body(), real);

            assertThat(done.getStatusCode().is2xxSuccessful()).as(endpoint + ": " + done.getBody()).isTrue();
            assertThat(done.getHeaders().getFirst("Idempotent-Replayed")).as(endpoint).isNull();
            assertThat(types(dry.getBody())).as(endpoint).isNotEmpty().isEqualTo(typesAfter(lastBefore));
        });
    }

    @Test
    void aRefusalRunDryAnswersAsTheRealCommand() {
        String root = root(2);
        String child = child(root, 0);
        String email = "dup-" + UUID.randomUUID() + "@example.com";
        ok(api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/users",
                    "{\"email\": \"" + email + "\", \"name\": \"First\"}"));
        List<Request> refused = List.of(
                // a unique lookup refuses it in prepare-commit
                new Request(HttpMethod.POST, "/api/v1/accounts/" + child + "/users",
                            "{\"email\": \"" + email + "\", \"name\": \"Second\"}"),
                new Request(HttpMethod.POST, "/api/v1/accounts/" + root + "/move",
                            "{\"newParentId\": \"" + child + "\"}"),
                new Request(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers",
                            "{\"to\": \"" + child + "\", \"seats\": 99}"),
                new Request(HttpMethod.POST, "/api/v1/accounts/" + UUID.randomUUID() + "/suspend", null));
        for (Request request : refused) {
            Map<String, Object> before = state();
            ResponseEntity<JsonNode> dry = api.send(request.method(), request.path(), request.body(), dryRun(null));
            ResponseEntity<JsonNode> real = api.send(request.method(), request.path(), request.body());

            assertThat(real.getStatusCode().is4xxClientError()).as(request.path()).isTrue();
            assertProblem(dry, real.getStatusCode().value(), real.getBody().get("code").asText());
            assertThat(state()).isEqualTo(before);
        }
    }

    @Test
    void aMoveRunDryAnswersWhatMoves() {
        String root = root(6);
        String moved = child(root, 2);
        String grandchild = child(moved, 1);
        String target = child(child(root, 0), 0);
        ok(api.send(HttpMethod.POST, "/api/v1/accounts/" + grandchild + "/users", userBody()));
        ok(api.send(HttpMethod.POST, "/api/v1/accounts/" + moved + "/devices", deviceBody()));

        ResponseEntity<JsonNode> dry = api.send(HttpMethod.POST, "/api/v1/accounts/" + moved + "/move?dryRun=true",
                                                "{\"newParentId\": \"" + target + "\"}");

        assertThat(dry.getStatusCode().value()).as(String.valueOf(dry.getBody())).isEqualTo(200);
        JsonNode move = dry.getBody().get("move");
        // the target is at depth 2, the moved account at 1: everything moved ends up two deeper
        assertThat(move.get("depthChange").asInt()).isEqualTo(2);
        assertThat(move.get("users").asLong()).isEqualTo(1);
        assertThat(move.get("devices").asLong()).isEqualTo(1);
        assertThat(move.get("accounts").get(0).get("id").asText()).isEqualTo(moved);
        assertThat(move.get("accounts").get(0).get("depthBefore").asInt()).isEqualTo(1);
        assertThat(move.get("accounts").get(0).get("depthAfter").asInt()).isEqualTo(3);
        assertThat(move.get("accounts").get(1).get("id").asText()).isEqualTo(grandchild);
        assertThat(move.get("accounts").get(1).get("depthAfter").asInt()).isEqualTo(4);
        assertThat(types(dry.getBody())).containsExactly("AccountMoved", "ChildAccountDetached",
                                                         "ChildAccountAttached");
    }

    /** Run twice, a dry run finds the same state: the aggregate cache kept nothing of the first. */
    @Test
    void aDryRunLeavesNoStateInTheAggregateCache() {
        String root = root(10);
        String child = child(root, 0);
        String transfer = "{\"to\": \"" + child + "\", \"seats\": 4}";

        JsonNode first = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers", transfer,
                                  dryRun(null)).getBody();
        JsonNode second = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers", transfer,
                                   dryRun(null)).getBody();

        assertThat(first.get("seats").get(root).asLong()).isEqualTo(6);
        assertThat(first.get("seats").get(child).asLong()).isEqualTo(4);
        assertThat(second.get("seats")).isEqualTo(first.get("seats"));
        assertThat(second.get("events").size()).isEqualTo(2);
    }

    @Test
    void aDryRunFlagOtherThanTrueOrFalseIsRefused() {
        String path = "/api/v1/accounts/" + root(0) + "/suspend";
        HttpHeaders misspelt = new HttpHeaders();
        misspelt.set("Arbor-Dry-Run", "ture");
        HttpHeaders contradicting = new HttpHeaders();
        contradicting.add("Arbor-Dry-Run", "true");
        contradicting.add("Arbor-Dry-Run", "false");
        HttpHeaders saysTrue = new HttpHeaders();
        saysTrue.set("Arbor-Dry-Run", "true");
        long events = api.eventCount();

        assertProblem(api.send(HttpMethod.POST, path, null, misspelt), 400, "INVALID_DRY_RUN");
        assertProblem(api.send(HttpMethod.POST, path, null, contradicting), 400, "INVALID_DRY_RUN");
        assertProblem(api.send(HttpMethod.POST, path + "?dryRun=false", null, saysTrue), 400, "INVALID_DRY_RUN");
        assertProblem(api.send(HttpMethod.POST, path + "?dryRun=1", null), 400, "INVALID_DRY_RUN");
        assertProblem(api.send(HttpMethod.GET, "/v3/api-docs?dryRun=true", null), 400, "DRY_RUN_UNSUPPORTED");
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.send(HttpMethod.POST, path + "?dryRun=false", null).getStatusCode().value()).isEqualTo(200);
        assertThat(api.eventCount()).isEqualTo(events + 1);
    }

    /** Dry runs and real commands on the same accounts at once: every real one lands, no dry one leaves a trace. */
    @Test
    void aDryRunNeverBlocksOrLeaksIntoAConcurrentRealCommand() throws Exception {
        String root = root(100);
        String child = child(root, 0);
        String transfer = "{\"to\": \"" + child + "\", \"seats\": 1}";
        long events = api.eventCount();
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ResponseEntity<JsonNode>>> dry = new ArrayList<>();
            List<Future<ResponseEntity<JsonNode>>> real = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                dry.add(pool.submit(() -> api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers",
                                                   transfer, dryRun(null))));
                real.add(pool.submit(() -> api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers",
                                                    transfer)));
            }
            for (Future<ResponseEntity<JsonNode>> answer : dry) {
                JsonNode body = answer.get().getBody();
                assertThat(answer.get().getStatusCode().value()).as(String.valueOf(body)).isEqualTo(200);
                assertThat(body.get("dryRun").asBoolean()).isTrue();
                assertThat(body.get("seats").get(root).asLong() + body.get("seats").get(child).asLong())
                        .isEqualTo(100);
            }
            for (Future<ResponseEntity<JsonNode>> answer : real) {
                assertThat(answer.get().getStatusCode().value()).as(String.valueOf(answer.get().getBody()))
                                                                  .isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.eventCount()).isEqualTo(events + 2L * rounds);
        JsonNode after = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers", transfer,
                                  dryRun(null)).getBody();
        assertThat(after.get("seats").get(child).asLong()).isEqualTo(rounds + 1);
    }

    private Set<String> commandEndpoints() {
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getMethodsCondition().getMethods().stream()
                .filter(COMMAND_METHODS::contains)
                .forEach(method -> info.getPatternValues()
                                       .forEach(pattern -> endpoints.add(method.name() + " " + pattern))));
        return endpoints;
    }

    /** The event store, every command-side lookup table and the idempotency keys, as counts and digests. */
    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("events", api.eventCount());
        state.put("snapshots", jdbc.sql("SELECT count(*) FROM event_store.snapshot_event_entry")
                                   .query(Long.class).single());
        for (String table : List.of("account_node", "app_user", "user_email", "device", "idempotency_key")) {
            state.put(table, jdbc.sql("SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                                      + " FROM command_lookup." + table + " t").query(String.class).single());
        }
        return state;
    }

    private long lastPosition() {
        return jdbc.sql("SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry")
                   .query(Long.class).single();
    }

    private List<String> typesAfter(long position) {
        return jdbc.sql("SELECT payload_type FROM event_store.domain_event_entry WHERE global_index > ?"
                        + " ORDER BY global_index").param(position).query(String.class).list()
                   .stream().map(type -> type.substring(type.lastIndexOf('.') + 1)).toList();
    }

    private static List<String> types(JsonNode preview) {
        List<String> types = new ArrayList<>();
        preview.get("events").forEach(event -> types.add(event.get("type").asText()));
        return types;
    }

    private static HttpHeaders dryRun(String idempotencyKey) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Arbor-Dry-Run", "true");
        if (idempotencyKey != null) {
            headers.set("Idempotency-Key", idempotencyKey);
        }
        return headers;
    }

    private String root(long seats) {
        return api.create("/api/v1/accounts", seats);
    }

    private String child(String parent, long seats) {
        return api.create("/api/v1/accounts/" + parent + "/children", seats);
    }

    private String user(String account) {
        return ok(api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/users", userBody()))
                .getBody().get("id").asText();
    }

    private static String userBody() {
        return "{\"email\": \"dry-" + UUID.randomUUID() + "@example.com\", \"name\": \"Dry\"}";
    }

    private static String deviceBody() {
        return "{\"serial\": \"SN-" + UUID.randomUUID() + "\", \"name\": \"Dry device\"}";
    }

    private static ResponseEntity<JsonNode> ok(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().is2xxSuccessful()).as(String.valueOf(response.getBody())).isTrue();
        return response;
    }
}
