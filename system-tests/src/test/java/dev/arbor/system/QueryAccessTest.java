package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.TestTokens;
import dev.arbor.query.processing.ProcessingGroups;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
     * A filter naming an account or a user outside the caller's subtree answers 404 as that id's own read does, for
     * every filter that names one, rather than an empty page whose count or time could tell whether it exists; an id
     * that names nothing answers the same, and so does an account above the caller's own. The same filters naming
     * what the caller may read answer as usual.
     */
    @Test
    void aFilterNamingWhatTheCallerCannotReadAnswersNotFoundAsTheReadDoes() {
        String org = create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 10}");
        String home = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Home\", \"seats\": 5}");
        String child = create("/api/v1/accounts/" + home + "/children", "{\"name\": \"Child\", \"seats\": 2}");
        String member = user(child);
        String reader = user(home);
        String elsewhere = create("/api/v1/accounts", "{\"name\": \"Elsewhere\", \"seats\": 1}");
        String stranger = user(elsewhere);
        Http.getAfter(arbor.querySide, "/api/v1/users/" + stranger, lastPosition, 5_000);
        String nothing = UUID.randomUUID().toString();

        Map<String, String> own = new LinkedHashMap<>();
        own.put("audit accountId", "/api/v1/audit?accountId=" + child);
        own.put("audit subtreeOf", "/api/v1/audit?subtreeOf=" + home);
        own.put("audit actor", "/api/v1/audit?actor=" + member);
        own.put("search parentId", "/api/v1/accounts?filter=" + encode("parentId==" + home));
        own.put("search parentId=in=", "/api/v1/accounts?filter=" + encode("parentId=in=(" + home + "," + child + ")"));
        for (Map.Entry<String, String> filter : own.entrySet()) {
            assertThat(Http.get(arbor.querySide, filter.getValue(), token(reader)).status()).as(filter.getKey())
                                                                                           .isEqualTo(200);
        }
        assertThat(ids(Http.get(arbor.querySide, own.get("search parentId"), token(reader)).body()))
                .containsExactly(child);
        for (String foreign : List.of(elsewhere, nothing)) {
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("audit accountId", "/api/v1/audit?accountId=" + foreign);
            filters.put("audit subtreeOf", "/api/v1/audit?subtreeOf=" + foreign);
            filters.put("audit accountId, with an own subtreeOf", "/api/v1/audit?subtreeOf=" + home + "&accountId="
                                                                  + foreign);
            filters.put("search parentId", "/api/v1/accounts?filter=" + encode("parentId==" + foreign));
            filters.put("search rootId", "/api/v1/accounts?filter=" + encode("rootId==" + foreign));
            filters.put("search parentId=in=", "/api/v1/accounts?filter=" + encode("parentId=in=(" + home + ","
                                                                                    + foreign + ")"));
            filters.put("search parentId!=", "/api/v1/accounts?filter=" + encode("parentId!=" + foreign));
            for (Map.Entry<String, String> filter : filters.entrySet()) {
                assertProblem(Http.get(arbor.querySide, filter.getValue(), token(reader)), 404, "NOT_FOUND",
                              filter.getKey() + " " + foreign);
            }
        }
        assertProblem(Http.get(arbor.querySide, "/api/v1/audit?actor=" + stranger, token(reader)), 404, "NOT_FOUND",
                      "actor: a user elsewhere");
        assertProblem(Http.get(arbor.querySide, "/api/v1/audit?actor=" + nothing, token(reader)), 404, "NOT_FOUND",
                      "actor: no user");
        assertProblem(Http.get(arbor.querySide, "/api/v1/audit?actor=admin", token(reader)), 404, "NOT_FOUND",
                      "actor: not a user");
        assertProblem(Http.get(arbor.querySide, "/api/v1/accounts?filter=" + encode("rootId==" + org), token(reader)),
                      404, "NOT_FOUND", "rootId: the organization's root, above the reader's account");
        assertThat(Http.get(arbor.querySide, "/api/v1/audit?accountId=" + nothing).status())
                .as("the admin reads everything: an id that names nothing is an empty page").isEqualTo(200);
        assertThat(Http.get(arbor.querySide, "/api/v1/audit?actor=" + stranger).status()).isEqualTo(200);
    }

    /**
     * An account moved into the caller's subtree, from a sibling of the caller's account, shows the caller its events
     * from the move on: none of what happened to it, or to the accounts under it, while it was elsewhere in the
     * organization, out of the caller's sight. The admin sees all of them.
     */
    @Test
    void anAccountMovedIntoTheSubtreeShowsItsEventsFromTheMoveOnOnly() {
        String org = create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 10}");
        String home = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"X\", \"seats\": 0}");
        String sibling = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Sibling\", \"seats\": 0}");
        String moved = create("/api/v1/accounts/" + sibling + "/children", "{\"name\": \"Y\", \"seats\": 0}");
        String under = create("/api/v1/accounts/" + moved + "/children", "{\"name\": \"Z\", \"seats\": 0}");
        String reader = user(home);
        change("PATCH", "/api/v1/accounts/" + moved, "{\"name\": \"Y, renamed at the sibling\"}");
        change("POST", "/api/v1/accounts/" + moved + "/move", "{\"newParentId\": \"" + home + "\"}");
        change("PATCH", "/api/v1/accounts/" + moved, "{\"name\": \"Y, renamed in X\"}");
        Http.getAfter(arbor.querySide, "/api/v1/accounts/" + moved, lastPosition, 5_000);
        String everything = "?limit=1000";

        assertThat(types(Http.get(arbor.querySide, "/api/v1/accounts/" + moved + "/history" + everything,
                                  token(reader))))
                .as("the reader: Y's history").containsExactly("AccountMoved", "AccountDetailsUpdated");
        assertThat(types(auditAfter("/api/v1/audit?accountId=" + moved, token(reader))))
                .as("the reader: Y's audit").containsExactly("AccountDetailsUpdated", "AccountMoved");
        assertThat(types(auditAfter("/api/v1/audit?subtreeOf=" + moved, token(reader))))
                .as("the reader: Y's subtree, Z's creation left out").containsExactly("AccountDetailsUpdated",
                                                                                      "AccountMoved");
        Http.Response underHistory = Http.get(arbor.querySide, "/api/v1/accounts/" + under + "/history",
                                              token(reader));
        assertThat(underHistory.status()).as("Z, readable, has done nothing since").isEqualTo(200);
        assertThat(underHistory.body().get("items")).isEmpty();
        assertThat(types(Http.get(arbor.querySide, "/api/v1/accounts/" + moved + "/history" + everything)))
                .as("the admin: all of Y's history").startsWith("AccountCreated")
                .contains("AccountMoved").hasSize(5);
    }

    /**
     * The event store is ahead of the read model: while an account's move out of the caller's subtree is not folded
     * yet, the read model still shows it in the subtree, but what came from the move on is not the caller's to see.
     * History and audit stop where the read model's folding does (here: the read model's processor stopped).
     */
    @Test
    void anAccountMovedOutShowsNothingFromTheMoveOnBeforeTheReadModelHasFoldedTheMove() {
        String org = create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 10}");
        String home = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"A\", \"seats\": 0}");
        String elsewhere = create("/api/v1/accounts/" + org + "/children", "{\"name\": \"F\", \"seats\": 0}");
        String leaver = create("/api/v1/accounts/" + home + "/children", "{\"name\": \"X\", \"seats\": 0}");
        String reader = user(home);
        auditAfter("/api/v1/audit?accountId=" + leaver, token(reader));
        StreamingEventProcessor readModel = arbor.querySideBean(EventProcessingConfiguration.class)
                .eventProcessor(ProcessingGroups.PROJECTION, StreamingEventProcessor.class).orElseThrow();
        readModel.shutDown();
        try {
            change("POST", "/api/v1/accounts/" + leaver + "/move", "{\"newParentId\": \"" + elsewhere + "\"}");
            change("PATCH", "/api/v1/accounts/" + leaver, "{\"name\": \"F's secret\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> auditHolds(lastPosition));

            Http.Response history = Http.get(arbor.querySide, "/api/v1/accounts/" + leaver + "/history?limit=1000",
                                             token(reader));
            Http.Response audit = Http.get(arbor.querySide, "/api/v1/audit?limit=1000&accountId=" + leaver,
                                           token(reader));

            assertThat(types(history)).as("X's history, read before the move is folded").containsExactly(
                    "AccountCreated");
            assertThat(types(audit)).as("X's audit, whose processor has logged the move").containsExactly(
                    "AccountCreated");
            assertThat(history.body().toString() + audit.body()).doesNotContain("secret");
        } finally {
            readModel.start();
        }
        Http.getAfter(arbor.querySide, "/api/v1/accounts/" + leaver, lastPosition, 10_000);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + leaver + "/history", token(reader)).status())
                .as("once folded, X is out of the reader's subtree").isEqualTo(404);
    }

    private boolean auditHolds(long position) {
        return arbor.database.sql("SELECT count(*) FROM read_model.audit_log WHERE position = ?").param(position)
                             .query(Long.class).single() == 1;
    }

    private JsonNode auditAfter(String path, String token) {
        return Http.send(arbor.querySide, "GET", path + "&limit=1000", null, "Authorization", "Bearer " + token,
                         "Arbor-Min-Position", Long.toString(lastPosition)).body();
    }

    private static List<String> types(Http.Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return types(page.body());
    }

    private static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("items").forEach(entry -> types.add(entry.get("type").asText()));
        return types;
    }

    private static String encode(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    private void change(String method, String path, String json) {
        Http.Response done = Http.send(arbor.commandSide, method, path, json);
        assertThat(done.status()).as(method + " " + path).isEqualTo(200);
        lastPosition = done.body().get("position").asLong();
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
