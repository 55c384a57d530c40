package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries issue 22 added for clients written against the reference APIs (../shared/seeds): an account's
 * configuration and limits on their own, the caller's own user and account, lists with the account itself, the
 * {@code pageSize} alias and the users' {@code status} filter. Who may read them is {@link QueryAccessTest}'s and
 * {@link AccessCorpusTest}'s.
 */
class SeedQueriesTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final Commands admin = new Commands(arbor.commandSide);

    @Test
    void configAndLimitsAnswerWhatTheViewHolds() {
        String org = admin.create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 1}");
        admin.send("PUT", "/api/v1/accounts/" + org + "/limits", "{\"maxVMs\": 100, \"maxServers\": 5}");
        admin.send("PATCH", "/api/v1/accounts/" + org + "/config",
                   "{\"billable\": true, \"properties\": {\"tier\": \"gold\"}, \"defaultChildLimits\": {\"maxVMs\": 10}}");
        JsonNode view = read("/api/v1/accounts/" + org);

        JsonNode limits = read("/api/v1/accounts/" + org + "/limits");
        JsonNode config = read("/api/v1/accounts/" + org + "/config");

        assertThat(limits).isEqualTo(view.get("limits"));
        assertThat(limits.get("maxVMs").asInt()).isEqualTo(100);
        assertThat(config).isEqualTo(view.get("config"));
        assertThat(config.get("properties").get("tier").asText()).isEqualTo("gold");
        for (String part : List.of("limits", "config")) {
            assertProblem(Http.get(arbor.querySide, "/api/v1/accounts/" + UUID.randomUUID() + "/" + part), 404,
                          "NOT_FOUND", part);
        }
    }

    @Test
    void meIsTheCallersUserItsAccountAndItsPermissions() {
        String org = admin.create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 2}");
        String home = admin.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Home\", \"seats\": 1}");
        String user = user(home);
        admin.send("POST", "/api/v1/users/" + user + "/permissions", "{\"grant\": [\"SEATS_MANAGE\", \"USERS_MANAGE\"]}");
        Http.getAfter(arbor.querySide, "/api/v1/users/" + user, admin.lastPosition(), 5_000);

        JsonNode me = Http.get(arbor.querySide, "/api/v1/me", token(user)).body();

        assertThat(me.get("admin").asBoolean()).isFalse();
        assertThat(me.get("user").get("id").asText()).isEqualTo(user);
        assertThat(me.get("account").get("id").asText()).isEqualTo(home);
        assertThat(me.get("account").get("parentFreeSeats").isNull()).as("the parent is not the user's").isTrue();
        assertThat(texts(me.get("permissions"))).containsExactlyInAnyOrder("SEATS_MANAGE", "USERS_MANAGE");
        assertThat(me.get("user").get("permissions")).isEqualTo(me.get("permissions"));

        JsonNode asAdmin = read("/api/v1/me");
        assertThat(asAdmin.get("admin").asBoolean()).isTrue();
        assertThat(asAdmin.get("user").isNull()).isTrue();
        assertThat(asAdmin.get("account").isNull()).isTrue();
        assertThat(texts(asAdmin.get("permissions"))).hasSize(7).contains("ACCOUNTS_ADD", "DEVICES_MANAGE");
        assertProblem(Http.get(arbor.querySide, "/api/v1/me", null), 401, "UNAUTHENTICATED", "no token");
    }

    @Test
    void includeSelfPutsTheAccountAheadOfItsChildrenOrDescendants() {
        String org = admin.create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 0}");
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(admin.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"C" + i + "\", \"seats\": 0}"));
        }
        String grandchild = admin.create("/api/v1/accounts/" + children.get(0) + "/children",
                                         "{\"name\": \"G\", \"seats\": 0}");
        String gone = admin.create("/api/v1/accounts/" + children.get(1) + "/children", "{\"name\": \"X\", \"seats\": 0}");
        admin.send("DELETE", "/api/v1/accounts/" + gone, null);
        read("/api/v1/accounts/" + org);
        List<String> byId = children.stream().sorted().toList();

        List<String> childrenWithSelf = ids("/api/v1/accounts/" + org + "/children?includeSelf=true");
        assertThat(childrenWithSelf).containsExactlyElementsOf(concat(org, byId));
        assertThat(ids("/api/v1/accounts/" + org + "/children")).containsExactlyElementsOf(byId);
        assertThat(Pages.allIds("/api/v1/accounts/" + org + "/children?includeSelf=true&limit=1", this::read))
                .as("paged, the account once and first").containsExactlyElementsOf(childrenWithSelf);
        assertThat(ids("/api/v1/accounts/" + org + "/children?includeSelf=true&offset=1"))
                .as("the account counts for offset").containsExactlyElementsOf(byId);

        List<String> descendants = ids("/api/v1/accounts/" + org + "/descendants");
        assertThat(ids("/api/v1/accounts/" + org + "/descendants?includeSelf=true"))
                .containsExactlyElementsOf(concat(org, descendants));
        assertThat(descendants).endsWith(grandchild).doesNotContain(gone);
        assertThat(Pages.allIds("/api/v1/accounts/" + org + "/descendants?includeSelf=true&limit=2", this::read))
                .containsExactlyElementsOf(concat(org, descendants));
        assertThat(ids("/api/v1/accounts/" + gone + "/descendants?includeSelf=true"))
                .as("a deleted account is left out of lists, itself too").isEmpty();
    }

    @Test
    void pageSizeIsAnotherNameForLimit() {
        String org = admin.create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 0}");
        for (int i = 0; i < 3; i++) {
            admin.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"C" + i + "\", \"seats\": 0}");
        }
        String children = "/api/v1/accounts/" + org + "/children";
        read(children);

        assertThat(Pages.items(read(children + "?pageSize=2"))).hasSize(2);
        assertThat(read(children + "?pageSize=2")).isEqualTo(read(children + "?limit=2"));
        assertThat(Pages.items(read(children + "?pageSize=2&limit=2"))).hasSize(2);
        assertThat(Pages.items(read(children))).as("the default stays that of limit").hasSize(3);
        assertProblem(Http.get(arbor.querySide, children + "?pageSize=2&limit=3"), 400, "VALIDATION_FAILED", "both");
        assertProblem(Http.get(arbor.querySide, children + "?pageSize=0"), 400, "VALIDATION_FAILED", "0");
        assertProblem(Http.get(arbor.querySide, children + "?pageSize=1001"), 400, "VALIDATION_FAILED", "1001");
        assertThat(Pages.items(read("/api/v1/accounts?pageSize=1"))).as("on the search too").hasSize(1);
    }

    @Test
    void usersAreFilteredByStatus() {
        String org = admin.create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 0}");
        String active = user(org);
        String leaver = user(org);
        admin.send("POST", "/api/v1/users/" + leaver + "/deactivate", null);
        String users = "/api/v1/accounts/" + org + "/users";
        read(users);

        assertThat(ids(users + "?status=ACTIVE")).containsExactly(active);
        assertThat(ids(users + "?status=DEACTIVATED")).containsExactly(leaver);
        assertThat(ids(users)).containsExactlyInAnyOrder(active, leaver);
        assertProblem(Http.get(arbor.querySide, users + "?status=GONE"), 400, "MALFORMED_REQUEST", "unknown status");
    }

    /**
     * Seed 001's connections and volume: the platform's report on the account, summed over the live subtree, and
     * checked against the account's limits (reported, not refused).
     */
    @Test
    void usageIsShownPerAccountRolledUpOverTheSubtreeAndAgainstTheLimits() {
        String org = admin.create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 0}");
        String reseller = admin.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"R\", \"seats\": 0}");
        String customer = admin.create("/api/v1/accounts/" + reseller + "/children",
                                       "{\"name\": \"C\", \"seats\": 0}");
        String other = admin.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"O\", \"seats\": 0}");
        admin.send("PUT", "/api/v1/accounts/" + customer + "/limits", "{\"connections\": 2, \"volume\": 5000}");
        admin.send("PUT", "/api/v1/accounts/" + customer + "/usage", "{\"connections\": 3, \"volume\": 1200}");
        admin.send("PUT", "/api/v1/accounts/" + reseller + "/usage", "{\"connections\": 1}");
        admin.send("PUT", "/api/v1/accounts/" + other + "/usage", "{\"connections\": 10}");

        JsonNode customerView = read("/api/v1/accounts/" + customer);
        assertThat(customerView.get("usage").toString()).isEqualTo("{\"volume\":1200,\"connections\":3}");
        assertThat(customerView.get("subtreeUsage").toString()).isEqualTo("{\"volume\":1200,\"connections\":3}");
        assertThat(texts(customerView.get("overLimit"))).containsExactly("connections");
        JsonNode resellerView = read("/api/v1/accounts/" + reseller);
        assertThat(resellerView.get("usage").toString()).isEqualTo("{\"connections\":1}");
        assertThat(resellerView.get("subtreeUsage").toString()).isEqualTo("{\"volume\":1200,\"connections\":4}");
        assertThat(texts(resellerView.get("overLimit"))).as("no limits, nothing over them").isEmpty();
        assertThat(read("/api/v1/accounts/" + org).get("subtreeUsage").toString())
                .isEqualTo("{\"volume\":1200,\"connections\":14}");
        assertThat(read("/api/v1/accounts/" + reseller + "/children").get("items").get(0).get("subtreeUsage"))
                .as("lists show it too").isEqualTo(customerView.get("subtreeUsage"));

        admin.send("POST", "/api/v1/accounts/" + customer + "/move", "{\"newParentId\": \"" + other + "\"}");
        assertThat(read("/api/v1/accounts/" + reseller).get("subtreeUsage").toString()).isEqualTo("{\"connections\":1}");
        assertThat(read("/api/v1/accounts/" + other).get("subtreeUsage").toString())
                .isEqualTo("{\"volume\":1200,\"connections\":13}");

        admin.send("DELETE", "/api/v1/accounts/" + customer, null);
        assertThat(read("/api/v1/accounts/" + other).get("subtreeUsage").toString()).isEqualTo("{\"connections\":10}");
        assertThat(read("/api/v1/accounts/" + customer).get("usage").toString())
                .as("a deleted account keeps its last report").isEqualTo("{\"volume\":1200,\"connections\":3}");
        admin.send("POST", "/api/v1/accounts/" + customer + "/reactivate", null);
        assertThat(read("/api/v1/accounts/" + org).get("subtreeUsage").toString())
                .isEqualTo("{\"volume\":1200,\"connections\":14}");
        assertThat(Http.post(arbor.querySide, "/api/v1/admin/verify", null).body().get("mismatches"))
                .as("the read model's usage is a fold of the events, and each subtree's sum of its accounts' usage")
                .isEmpty();
    }

    @Test
    void labelsAreShownInTheViewsAndFilteredInTheSearch() {
        String org = admin.create("/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 0, \"label\": \"acme\"}");
        String west = admin.create("/api/v1/accounts/" + org + "/children",
                                   "{\"name\": \"West\", \"seats\": 0, \"label\": \"eu-west\"}");
        String plain = admin.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Plain\", \"seats\": 0}");
        String nested = admin.create("/api/v1/accounts/" + plain + "/children",
                                     "{\"name\": \"Nested\", \"seats\": 0, \"label\": \"eu-west\"}");

        assertThat(read("/api/v1/accounts/" + org).get("label").asText()).isEqualTo("acme");
        assertThat(read("/api/v1/accounts/" + plain).get("label").isNull()).as("none").isTrue();
        JsonNode children = read("/api/v1/accounts/" + org + "/children");
        assertThat(Pages.items(children).stream().map(child -> child.get("label").asText(null)).toList())
                .containsExactlyInAnyOrder("eu-west", null);
        assertThat(read("/api/v1/accounts/" + org + "/tree").get("children").get(0).has("label")).isTrue();

        String search = "/api/v1/accounts?filter=";
        assertThat(ids(search + "label==eu-west")).containsExactlyInAnyOrder(west, nested);
        assertThat(ids(search + "label==eu-west;parentId==" + org)).as("a child by its label").containsExactly(west);
        assertThat(ids(search + "label=like=eu*;rootId==" + org)).containsExactlyInAnyOrder(west, nested);
        assertThat(ids(search + "label=in=(acme,nothing)")).contains(org).doesNotContain(west, plain);

        admin.send("PATCH", "/api/v1/accounts/" + west, "{\"label\": \"eu-north\"}");
        assertThat(read("/api/v1/accounts/" + west).get("label").asText()).isEqualTo("eu-north");
        assertThat(ids(search + "label==eu-west;rootId==" + org)).containsExactly(nested);
        admin.send("PATCH", "/api/v1/accounts/" + west, "{\"label\": null}");
        assertThat(read("/api/v1/accounts/" + west).get("label").isNull()).as("cleared").isTrue();
    }

    private String user(String account) {
        return admin.create("/api/v1/accounts/" + account + "/users",
                            "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}");
    }

    /** A read as the admin once the read model holds the commands sent so far. */
    private JsonNode read(String path) {
        Http.Response answer = Http.getAfter(arbor.querySide, path, admin.lastPosition(), 5_000);
        assertThat(answer.status()).as(path).isEqualTo(200);
        return answer.body();
    }

    private List<String> ids(String path) {
        return Pages.ids(read(path));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static String token(String userId) {
        return TestTokens.user(UUID.fromString(userId));
    }

    private static void assertProblem(Http.Response response, int status, String code, String what) {
        assertThat(response.status()).as(what).isEqualTo(status);
        assertThat(response.contentType()).as(what).isEqualTo("application/problem+json");
        assertThat(response.body().get("code").asText()).as(what).isEqualTo(code);
    }
}
