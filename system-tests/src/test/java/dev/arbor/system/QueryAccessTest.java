package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read what on the query side: a user reads its account's subtree (no permission needed) and nothing else,
 * which answers 404 as if it did not exist; the admin reads everything and alone uses the admin API; no token or a
 * bad one gets 401; a deactivated user, or one under a suspended account, reads nothing.
 */
class QueryAccessTest {

    /** An admin endpoint, and what the admin's call answers (null: not called here, see the table). */
    private record AdminEndpoint(String method, String path, Integer admin) {
    }

    private static final List<AdminEndpoint> ADMIN_ENDPOINTS = List.of(
            new AdminEndpoint("GET", "/api/v1/admin/processors", 200),
            new AdminEndpoint("GET", "/api/v1/admin/processors/accounts", 200),
            new AdminEndpoint("GET", "/api/v1/admin/dead-letters", 200),
            new AdminEndpoint("GET", "/api/v1/admin/rebuild", 200),
            new AdminEndpoint("GET", "/actuator/metrics", 200),
            new AdminEndpoint("POST", "/api/v1/admin/dead-letters/accounts/retry", 200),
            // past security to the queue, which has no such letter
            new AdminEndpoint("DELETE", "/api/v1/admin/dead-letters/accounts/" + UUID.randomUUID(), 404),
            // work over the whole read model, which would disturb the tests around: the admin runs them in
            // VerifySystemTest, RebuildSystemTest and ReplaySystemTest (and retries and evicts in DeadLetterSystemTest)
            new AdminEndpoint("POST", "/api/v1/admin/verify", null),
            new AdminEndpoint("POST", "/api/v1/admin/rebuild", null),
            new AdminEndpoint("POST", "/api/v1/admin/processors/accounts/replay", null));

    private final RunningArbor arbor = RunningArbor.get();
    private long lastPosition;

    @Test
    void everyQueryAnswersOnlyInsideTheCallersSubtree() {
        String org = create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 10}");
        String home = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Home\", \"seats\": 5}");
        String child = create("/api/v1/accounts/" + home + "/children", "{\"name\": \"Child\", \"seats\": 2}");
        String member = user(child);
        create("/api/v1/accounts/" + child + "/devices", "{\"serial\": \"" + UUID.randomUUID() + "\", \"name\": \"D\"}");
        String device = Http.getAfter(arbor.querySide, "/api/v1/accounts/" + child + "/devices", lastPosition, 5_000)
                            .body().get("items").get(0).get("id").asText();
        String reader = user(home);
        String sibling = create("/api/v1/accounts", "{\"name\": \"Sibling\", \"seats\": 1}");
        String stranger = user(sibling);
        Http.getAfter(arbor.querySide, "/api/v1/users/" + stranger, lastPosition, 5_000);

        String asOf = Instant.now().toString();
        List<String> paths = List.of("/api/v1/accounts/" + child, "/api/v1/accounts/" + child + "?asOf=" + asOf,
                                     "/api/v1/accounts/" + child + "/config", "/api/v1/accounts/" + child + "/limits",
                                     "/api/v1/accounts/" + home + "/children", "/api/v1/accounts/" + home + "/descendants",
                                     "/api/v1/accounts/" + home + "/tree", "/api/v1/accounts/" + home + "/tree?asOf=" + asOf,
                                     "/api/v1/accounts/" + child + "/ancestors", "/api/v1/accounts/" + child + "/history",
                                     "/api/v1/accounts/" + child + "/users", "/api/v1/accounts/" + child + "/devices",
                                     "/api/v1/users/" + member, "/api/v1/devices/" + device);
        for (String path : paths) {
            assertThat(Http.get(arbor.querySide, path, token(reader)).status()).as("reader: " + path).isEqualTo(200);
            assertThat(Http.get(arbor.querySide, path).status()).as("admin: " + path).isEqualTo(200);
            assertProblem(Http.get(arbor.querySide, path, token(stranger)), 404, "NOT_FOUND", path);
            assertProblem(Http.get(arbor.querySide, path, null), 401, "UNAUTHENTICATED", path);
            assertProblem(Http.get(arbor.querySide, path, TestTokens.forged()), 401, "UNAUTHENTICATED", path);
        }
        assertProblem(Http.get(arbor.querySide, "/api/v1/accounts/" + org, token(reader)), 404, "NOT_FOUND", "parent");
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + home, token(reader)).body().get("parentFreeSeats")
                       .isNull()).as("the parent's seats are not the reader's business").isTrue();
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + home).body().get("parentFreeSeats").asLong())
                .isEqualTo(5);
        assertThat(ids(Http.get(arbor.querySide, "/api/v1/accounts/" + child + "/ancestors", token(reader)).body()))
                .as("ancestors stop at the reader's own account").containsExactly(home);

        assertThat(ids(Http.get(arbor.querySide, "/api/v1/accounts?limit=1000", token(reader)).body()))
                .containsExactlyInAnyOrder(home, child);
        JsonNode audit = Http.send(arbor.querySide, "GET", "/api/v1/audit?limit=1000", null,
                                   "Authorization", "Bearer " + token(reader),
                                   "Arbor-Min-Position", Long.toString(lastPosition)).body();
        List<String> audited = new ArrayList<>();
        audit.get("items").forEach(entry -> audited.add(entry.get("accountId").asText()));
        assertThat(audited).isNotEmpty().allMatch(account -> account.equals(home) || account.equals(child));
    }

    @Test
    void searchAndAuditRefuseMissingExpiredWrongAudienceAndForgedTokens() {
        for (String path : List.of("/api/v1/accounts", "/api/v1/audit")) {
            assertProblem(Http.get(arbor.querySide, path, null), 401, "UNAUTHENTICATED", "no token: " + path);
            TestTokens.refused().forEach((flaw, token) -> assertProblem(Http.get(arbor.querySide, path, token), 401,
                                                                        "UNAUTHENTICATED", flaw + ": " + path));
        }
    }

    @Test
    void onlyTheAdminUsesTheAdminApi() {
        String org = create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 1}");
        String user = user(org);
        Http.getAfter(arbor.querySide, "/api/v1/users/" + user, lastPosition, 5_000);

        for (AdminEndpoint endpoint : ADMIN_ENDPOINTS) {
            String what = endpoint.method() + " " + endpoint.path();
            assertProblem(Http.call(arbor.querySide, endpoint.method(), endpoint.path(), token(user)), 403,
                          "PERMISSION_DENIED", "a user: " + what);
            assertProblem(Http.call(arbor.querySide, endpoint.method(), endpoint.path(), null), 401,
                          "UNAUTHENTICATED", "no token: " + what);
            assertProblem(Http.call(arbor.querySide, endpoint.method(), endpoint.path(), TestTokens.forged()), 401,
                          "UNAUTHENTICATED", "forged: " + what);
            if (endpoint.admin() != null) {
                assertThat(Http.call(arbor.querySide, endpoint.method(), endpoint.path(), TestTokens.admin()).status())
                        .as("the admin: " + what).isEqualTo(endpoint.admin());
            }
        }
    }

    @Test
    void theSubtreeInThePastShowsNothingThatHasSinceLeftIt() throws InterruptedException {
        String org = create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 10}");
        String home = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Home\", \"seats\": 5}");
        String leaver = create("/api/v1/accounts/" + home + "/children", "{\"name\": \"Leaver\", \"seats\": 0}");
        String reader = user(home);
        Http.getAfter(arbor.querySide, "/api/v1/users/" + reader, lastPosition, 5_000);
        Thread.sleep(20);
        String before = Instant.now().toString();
        Thread.sleep(20);
        Http.Response moved = Http.post(arbor.commandSide, "/api/v1/accounts/" + leaver + "/move",
                                        "{\"newParentId\": \"" + org + "\"}");
        Http.getAfter(arbor.querySide, "/api/v1/accounts/" + leaver, moved.body().get("position").asLong(), 5_000);

        JsonNode pastTree = Http.get(arbor.querySide, "/api/v1/accounts/" + home + "/tree?asOf=" + before,
                                     token(reader)).body();
        assertThat(pastTree.get("children")).as("the leaver is outside the reader's subtree now").isEmpty();
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + home + "/tree?asOf=" + before).body()
                       .get("children")).as("the admin sees it as it was").hasSize(1);
    }

    /**
     * Refused on every query it sends, and before a read-your-writes wait; the suspended account is the user's own,
     * then one above it.
     */
    @Test
    void aDeactivatedUserOrOneUnderASuspendedAccountReadsNothing() {
        String org = create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 10}");
        String home = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Home\", \"seats\": 5}");
        String reader = user(home);
        String leaver = user(home);
        command("/api/v1/users/" + leaver + "/deactivate");
        Http.getAfter(arbor.querySide, "/api/v1/users/" + leaver, lastPosition, 5_000);
        List<String> queries = List.of("/api/v1/accounts/" + home, "/api/v1/accounts/" + home + "/tree",
                                       "/api/v1/accounts?limit=1", "/api/v1/audit?limit=1", "/api/v1/users/" + reader,
                                       "/api/v1/me");

        for (String query : queries) {
            assertProblem(Http.get(arbor.querySide, query, token(leaver)), 403, "USER_DEACTIVATED", query);
            assertThat(Http.get(arbor.querySide, query, token(reader)).status()).as(query).isEqualTo(200);
        }
        long before = System.nanoTime();
        Http.Response waited = Http.send(arbor.querySide, "GET", "/api/v1/accounts/" + home, null,
                                         "Authorization", "Bearer " + token(leaver),
                                         "Arbor-Min-Position", Long.toString(lastPosition + 1_000_000),
                                         "Arbor-Max-Wait", "5000");
        assertProblem(waited, 403, "USER_DEACTIVATED", "waiting for a position");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("refused before waiting, not after")
                                                                .isLessThan(Duration.ofSeconds(2));
        for (String suspended : List.of(home, org)) {
            command("/api/v1/accounts/" + suspended + "/suspend");
            Http.getAfter(arbor.querySide, "/api/v1/accounts/" + suspended, lastPosition, 5_000);
            for (String query : queries) {
                assertProblem(Http.get(arbor.querySide, query, token(reader)), 403, "ACCOUNT_SUSPENDED",
                              suspended + " suspended: " + query);
            }
            command("/api/v1/accounts/" + suspended + "/unsuspend");
            Http.getAfter(arbor.querySide, "/api/v1/accounts/" + suspended, lastPosition, 5_000);
        }
    }

    private static void assertProblem(Http.Response response, int status, String code, String what) {
        assertThat(response.status()).as(what).isEqualTo(status);
        assertThat(response.contentType()).as(what).isEqualTo("application/problem+json");
        assertThat(response.body().get("code").asText()).as(what).isEqualTo(code);
    }

    private static String token(String userId) {
        return TestTokens.user(UUID.fromString(userId));
    }

    private String user(String account) {
        return create("/api/v1/accounts/" + account + "/users",
                      "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private String create(String path, String json) {
        Http.Response created = Http.post(arbor.commandSide, path, json);
        assertThat(created.status()).as(path).isEqualTo(201);
        lastPosition = created.body().get("position").asLong();
        return created.body().get("id").asText();
    }

    private void command(String path) {
        Http.Response done = Http.post(arbor.commandSide, path, null);
        assertThat(done.status()).as(path).isEqualTo(200);
        lastPosition = done.body().get("position").asLong();
    }
}
