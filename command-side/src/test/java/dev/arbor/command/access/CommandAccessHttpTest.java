package dev.arbor.command.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.user.Permission;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.arbor.api.user.Permission.ACCOUNTS_ADD;
import static dev.arbor.api.user.Permission.ACCOUNTS_DELETE;
import static dev.arbor.api.user.Permission.ACCOUNTS_EDIT;
import static dev.arbor.api.user.Permission.DEVICES_MANAGE;
import static dev.arbor.api.user.Permission.LIMITS_MANAGE;
import static dev.arbor.api.user.Permission.SEATS_MANAGE;
import static dev.arbor.api.user.Permission.USERS_MANAGE;
import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may send which command, over HTTP with real tokens. The tree: an organization, its child {@code home} (where
 * the users {@code permitted}, holding every permission, and {@code powerless}, holding none, live), and below home
 * the accounts the commands act on; beside it a sibling organization with its own user, {@code stranger}.
 */
@CommandSideTest
class CommandAccessHttpTest {

    private static final List<Permission> ALL_PERMISSIONS = List.of(Permission.values());

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcClient jdbc;
    private CommandSideClient api;

    /** Everything one endpoint's checks need, made fresh by the admin. */
    record Tree(String org, String home, String child, String otherChild, String leaf, String deletedLeaf,
                String member, String device, String seatToken, String permitted, String powerless, String stranger) {
    }

    /** A command endpoint: how to call it on a tree, and the permission a user needs for it (none: admin only). */
    record Endpoint(String name, Permission permission, HttpMethod method, Function<Tree, String> path,
                    Function<Tree, String> body) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void setUp() {
        api = new CommandSideClient(http, jdbc);
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("create child", ACCOUNTS_ADD, HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.child() + "/children",
                             t -> "{\"name\": \"New\", \"seats\": 1}"),
                new Endpoint("update details", ACCOUNTS_EDIT, HttpMethod.PATCH, t -> "/api/v1/accounts/" + t.child(),
                             t -> "{\"name\": \"Renamed\"}"),
                new Endpoint("update config", ACCOUNTS_EDIT, HttpMethod.PATCH,
                             t -> "/api/v1/accounts/" + t.child() + "/config", t -> "{\"billable\": true}"),
                new Endpoint("suspend", ACCOUNTS_EDIT, HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.child() + "/suspend", t -> null),
                new Endpoint("unsuspend", ACCOUNTS_EDIT, HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.child() + "/unsuspend", t -> null),
                new Endpoint("move", ACCOUNTS_EDIT, HttpMethod.POST, t -> "/api/v1/accounts/" + t.leaf() + "/move",
                             t -> "{\"newParentId\": \"" + t.otherChild() + "\"}"),
                new Endpoint("delete", ACCOUNTS_DELETE, HttpMethod.DELETE, t -> "/api/v1/accounts/" + t.leaf(),
                             t -> null),
                new Endpoint("reactivate", ACCOUNTS_DELETE, HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.deletedLeaf() + "/reactivate", t -> null),
                new Endpoint("move seats", SEATS_MANAGE, HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.home() + "/seat-transfers",
                             t -> "{\"to\": \"" + t.child() + "\", \"seats\": 1}"),
                new Endpoint("set seats", SEATS_MANAGE, HttpMethod.PUT, t -> "/api/v1/accounts/" + t.child() + "/seats",
                             t -> "{\"seats\": 6}"),
                new Endpoint("redeem seat token", SEATS_MANAGE, HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.child() + "/seat-tokens/redeem",
                             t -> "{\"token\": \"" + t.seatToken() + "\"}"),
                new Endpoint("change limits", LIMITS_MANAGE, HttpMethod.PUT,
                             t -> "/api/v1/accounts/" + t.child() + "/limits", t -> "{}"),
                new Endpoint("add user", USERS_MANAGE, HttpMethod.POST, t -> "/api/v1/accounts/" + t.child() + "/users",
                             t -> "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"N\"}"),
                new Endpoint("change user account", USERS_MANAGE, HttpMethod.POST,
                             t -> "/api/v1/users/" + t.member() + "/change-account",
                             t -> "{\"accountId\": \"" + t.otherChild() + "\"}"),
                new Endpoint("deactivate user", USERS_MANAGE, HttpMethod.POST,
                             t -> "/api/v1/users/" + t.member() + "/deactivate", t -> null),
                new Endpoint("reactivate user", USERS_MANAGE, HttpMethod.POST,
                             t -> "/api/v1/users/" + t.member() + "/reactivate", t -> null),
                new Endpoint("change permissions", USERS_MANAGE, HttpMethod.POST,
                             t -> "/api/v1/users/" + t.member() + "/permissions",
                             t -> "{\"grant\": [\"USERS_MANAGE\"]}"),
                new Endpoint("register device", DEVICES_MANAGE, HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.child() + "/devices",
                             t -> "{\"serial\": \"" + UUID.randomUUID() + "\", \"name\": \"D\"}"),
                new Endpoint("remove device", DEVICES_MANAGE, HttpMethod.DELETE, t -> "/api/v1/devices/" + t.device(),
                             t -> null));
    }

    static Stream<Endpoint> adminOnlyEndpoints() {
        return Stream.of(
                new Endpoint("create organization", null, HttpMethod.POST, t -> "/api/v1/accounts",
                             t -> "{\"name\": \"Mine\", \"seats\": 1}"),
                new Endpoint("issue seat token", null, HttpMethod.POST, t -> "/api/v1/seat-tokens",
                             t -> "{\"seats\": 1}"));
    }

    /**
     * Refused: no token or a forged one, a user of a sibling tree, a user holding every permission but the one the
     * endpoint needs, a deactivated user, and a user whose own account or an account above it is suspended. Let
     * through: a user holding that permission alone, and the admin. So the table's permission is the one the
     * endpoint needs, not merely one of several that would do.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void onlyActiveCallersWithThePermissionInsideTheSubtreeGetThrough(Endpoint endpoint) {
        Tree tree = tree();
        String allButIt = user(tree.home(), allBut(endpoint.permission()));
        String onlyIt = user(tree.home(), List.of(endpoint.permission()));
        String leaver = user(tree.home(), List.of(endpoint.permission()));
        admin(HttpMethod.POST, "/api/v1/users/" + leaver + "/deactivate", null);

        refusedWithoutAValidToken(endpoint, tree);
        ResponseEntity<JsonNode> outOfReach = refused(() -> call(endpoint, tree, tokenOf(tree.stranger())), 404,
                                                      "NOT_FOUND");
        assertThat(outOfReach.getBody().get("detail").asText()).as("names nothing it found")
                                                                .isEqualTo("No resource with that id.");
        refused(() -> call(endpoint, tree, tokenOf(allButIt)), 403, "PERMISSION_DENIED");
        refused(() -> call(endpoint, tree, tokenOf(leaver)), 403, "USER_DEACTIVATED");
        for (String suspended : List.of(tree.home(), tree.org())) {
            admin(HttpMethod.POST, "/api/v1/accounts/" + suspended + "/suspend", null);
            refused(() -> call(endpoint, tree, tokenOf(onlyIt)), 403, "ACCOUNT_SUSPENDED");
            admin(HttpMethod.POST, "/api/v1/accounts/" + suspended + "/unsuspend", null);
        }

        assertThat(call(endpoint, tree, tokenOf(onlyIt)).getStatusCode().is2xxSuccessful())
                .as("a user with the permission").isTrue();
        Tree another = tree();
        assertThat(call(endpoint, another, TestTokens.admin()).getStatusCode().is2xxSuccessful())
                .as("the admin").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminOnlyEndpoints")
    void onlyTheAdminCreatesOrganizationsAndIssuesSeatTokens(Endpoint endpoint) {
        Tree tree = tree();

        refusedWithoutAValidToken(endpoint, tree);
        refused(() -> call(endpoint, tree, tokenOf(tree.permitted())), 403, "PERMISSION_DENIED");
        assertThat(call(endpoint, tree, TestTokens.admin()).getStatusCode().is2xxSuccessful()).as("the admin")
                                                                                          .isTrue();
    }

    @Test
    void aRevokedPermissionIsRefusedAtOnce() {
        Tree tree = tree();
        String manager = tokenOf(tree.permitted());
        String permissions = "/api/v1/users/" + tree.member() + "/permissions";
        String createChild = "/api/v1/accounts/" + tree.child() + "/children";
        String body = "{\"name\": \"N\", \"seats\": 0}";
        assertThat(as(manager, HttpMethod.POST, permissions, "{\"grant\": [\"ACCOUNTS_ADD\"]}").getStatusCode()
                                                                                               .value())
                .isEqualTo(200);
        assertThat(as(tokenOf(tree.member()), HttpMethod.POST, createChild, body).getStatusCode().value())
                .as("granted").isEqualTo(201);

        assertThat(as(manager, HttpMethod.POST, permissions, "{\"revoke\": [\"ACCOUNTS_ADD\"]}").getStatusCode()
                                                                                                .value())
                .isEqualTo(200);

        refused(() -> as(tokenOf(tree.member()), HttpMethod.POST, createChild, body), 403, "PERMISSION_DENIED");
    }

    @Test
    void aUserCannotDeleteSuspendMoveReseatOrLimitItsOwnAccount() {
        Tree tree = tree();
        String permitted = tokenOf(tree.permitted());
        String own = "/api/v1/accounts/" + tree.home();

        assertProblem(as(permitted, HttpMethod.DELETE, own, null), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.POST, own + "/suspend", null), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.POST, own + "/move", "{\"newParentId\": \"" + tree.child() + "\"}"),
                      403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.PUT, own + "/seats", "{\"seats\": 1}"), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.PUT, own + "/limits", "{}"), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.PATCH, own + "/limits", "{}"), 403, "OWN_ACCOUNT");
        // enabled is a suspension or its lifting; a label is unique among the parent's children, which a clash
        // would reveal; the other details a user may change on its own account
        assertProblem(as(permitted, HttpMethod.PATCH, own, "{\"enabled\": false}"), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.PATCH, own, "{\"label\": \"home\"}"), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.PATCH, own, "{\"label\": null}"), 403, "OWN_ACCOUNT");
        assertThat(as(permitted, HttpMethod.PATCH, own, "{\"name\": \"Home\"}").getStatusCode().value())
                .isEqualTo(200);
        assertProblem(as(permitted, HttpMethod.POST, own + "/seat-transfers",
                         "{\"to\": \"" + tree.org() + "\", \"seats\": 1}"), 404, "NOT_FOUND");
    }

    /**
     * Seats moved between a user's own account and a child of it, either way, are the parent side's act on the child
     * (as setting the child's seats is), and a seat token adds seats the platform issued: a user may do both. What
     * its account's subtree holds in all is set from above and stays as it was; the parent is out of reach.
     */
    @Test
    void aUserMovesSeatsBetweenItsOwnAccountAndAChildAndRedeemsSeatTokensIntoIt() {
        Tree tree = tree();
        String permitted = tokenOf(tree.permitted());
        String own = "/api/v1/accounts/" + tree.home();

        assertThat(as(permitted, HttpMethod.POST, own + "/seat-transfers",
                      "{\"to\": \"" + tree.child() + "\", \"seats\": 5}").getStatusCode().value())
                .as("to its child").isEqualTo(200);
        assertThat(as(permitted, HttpMethod.POST, "/api/v1/accounts/" + tree.child() + "/seat-transfers",
                      "{\"to\": \"" + tree.home() + "\", \"seats\": 7}").getStatusCode().value())
                .as("back from its child").isEqualTo(200);
        assertThat(as(permitted, HttpMethod.POST, own + "/seat-tokens/redeem",
                      "{\"token\": \"" + tree.seatToken() + "\"}").getStatusCode().is2xxSuccessful())
                .as("a seat token").isTrue();
    }

    @Test
    void aUserCannotRaiseItsOwnPermissionsNorGrantOnesItLacks() {
        Tree tree = tree();
        String powerless = tokenOf(tree.powerless());
        admin(HttpMethod.POST, "/api/v1/users/" + tree.powerless() + "/permissions", "{\"grant\": [\"USERS_MANAGE\"]}");

        assertProblem(as(powerless, HttpMethod.POST, "/api/v1/users/" + tree.powerless() + "/permissions",
                         "{\"grant\": [\"ACCOUNTS_DELETE\"]}"), 403, "PERMISSION_DENIED");
        assertProblem(as(powerless, HttpMethod.POST, "/api/v1/users/" + tree.member() + "/permissions",
                         "{\"grant\": [\"ACCOUNTS_DELETE\"]}"), 403, "PERMISSION_DENIED");
        assertThat(as(powerless, HttpMethod.POST, "/api/v1/users/" + tree.member() + "/permissions",
                      "{\"grant\": [\"USERS_MANAGE\"]}").getStatusCode().value()).isEqualTo(200);
    }

    /**
     * The escalation once found live: U, holding USERS_MANAGE alone in home, moved V (USERS_MANAGE and
     * ACCOUNTS_DELETE, in home's child) up into home, and V granted ACCOUNTS_DELETE back to U. Moving a user is now
     * as strong as granting: refused while V holds a permission U lacks.
     */
    @Test
    void aUserDoesNotMoveAStrongerUserUpToBeGrantedWhatItLacks() {
        Tree tree = tree();
        String weak = user(tree.home(), List.of(USERS_MANAGE));
        String strong = user(tree.child(), List.of(USERS_MANAGE, ACCOUNTS_DELETE));
        String moveUp = "{\"accountId\": \"" + tree.home() + "\"}";

        refused(() -> as(tokenOf(weak), HttpMethod.POST, "/api/v1/users/" + strong + "/change-account", moveUp), 403,
                "PERMISSION_DENIED");
        refused(() -> as(tokenOf(strong), HttpMethod.POST, "/api/v1/users/" + weak + "/permissions",
                         "{\"grant\": [\"ACCOUNTS_DELETE\"]}"), 404, "NOT_FOUND");

        String equal = user(tree.home(), List.of(USERS_MANAGE, ACCOUNTS_DELETE));
        assertThat(as(tokenOf(equal), HttpMethod.POST, "/api/v1/users/" + strong + "/change-account", moveUp)
                           .getStatusCode().value()).as("a user holding all it holds").isEqualTo(200);
    }

    /** A suspension by the platform admin is lifted only by the admin, neither directly nor by deleting and reactivating. */
    @Test
    void aUserAboveDoesNotLiftTheAdminsSuspension() {
        Tree tree = tree();
        String permitted = tokenOf(tree.permitted());
        String leaf = "/api/v1/accounts/" + tree.leaf();
        admin(HttpMethod.POST, leaf + "/suspend", null);

        refused(() -> as(permitted, HttpMethod.POST, leaf + "/unsuspend", null), 403, "PERMISSION_DENIED");
        refused(() -> as(permitted, HttpMethod.PATCH, leaf, "{\"enabled\": true}"), 403, "PERMISSION_DENIED");
        refused(() -> as(permitted, HttpMethod.DELETE, leaf, null), 403, "ACCOUNT_SUSPENDED");
        admin(HttpMethod.DELETE, leaf, null);
        refused(() -> as(permitted, HttpMethod.POST, leaf + "/reactivate", null), 403, "PERMISSION_DENIED");
        admin(HttpMethod.POST, leaf + "/reactivate", null);

        assertThat(as(permitted, HttpMethod.POST, leaf + "/suspend", null).getStatusCode().value()).isEqualTo(200);
        assertThat(as(permitted, HttpMethod.POST, leaf + "/unsuspend", null).getStatusCode().value())
                .as("a user's suspension, lifted by a user").isEqualTo(200);
    }

    /**
     * {@code enabled: false} on a new child suspends it, so creating it so needs ACCOUNTS_EDIT besides ACCOUNTS_ADD;
     * on {@code PATCH} it is a suspension or its lifting, which ACCOUNTS_EDIT covers as it covers the details.
     */
    @Test
    void enabledNeedsWhatSuspendingNeeds() {
        Tree tree = tree();
        String children = "/api/v1/accounts/" + tree.child() + "/children";
        String suspendedChild = "{\"name\": \"Off\", \"seats\": 0, \"enabled\": false}";

        String adder = tokenOf(user(tree.home(), List.of(ACCOUNTS_ADD)));
        refused(() -> as(adder, HttpMethod.POST, children, suspendedChild), 403, "PERMISSION_DENIED");
        refused(() -> as(adder, HttpMethod.PATCH, "/api/v1/accounts/" + tree.leaf(), "{\"enabled\": false}"), 403,
                "PERMISSION_DENIED");

        String editor = tokenOf(user(tree.home(), List.of(ACCOUNTS_ADD, ACCOUNTS_EDIT)));
        assertThat(as(editor, HttpMethod.POST, children, suspendedChild).getStatusCode().value()).isEqualTo(201);
        assertThat(as(editor, HttpMethod.PATCH, "/api/v1/accounts/" + tree.leaf(), "{\"enabled\": false}")
                           .getStatusCode().value()).isEqualTo(200);
        assertThat(as(editor, HttpMethod.PATCH, "/api/v1/accounts/" + tree.leaf(), "{\"enabled\": true}")
                           .getStatusCode().value()).isEqualTo(200);
    }

    /**
     * Seats once moved between siblings without SEATS_MANAGE: a child created with seats under one, moved under the
     * other, deleted there. Moving an account that holds seats now needs SEATS_MANAGE.
     */
    @Test
    void seatsDoNotMoveBetweenSiblingsThroughCreateMoveAndDeleteWithoutSeatsManage() {
        Tree tree = tree();
        String accounts = tokenOf(user(tree.home(), List.of(ACCOUNTS_ADD, ACCOUNTS_EDIT, ACCOUNTS_DELETE)));
        ResponseEntity<JsonNode> created = as(accounts, HttpMethod.POST, "/api/v1/accounts/" + tree.child() + "/children",
                                              "{\"name\": \"Carrier\", \"seats\": 5}");
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        String carrier = created.getBody().get("id").asText();
        String move = "/api/v1/accounts/" + carrier + "/move";
        String toSibling = "{\"newParentId\": \"" + tree.otherChild() + "\"}";

        refused(() -> as(accounts, HttpMethod.POST, move, toSibling), 403, "PERMISSION_DENIED");

        String withSeats = tokenOf(user(tree.home(), List.of(ACCOUNTS_EDIT, SEATS_MANAGE)));
        assertThat(as(withSeats, HttpMethod.POST, move, toSibling).getStatusCode().value()).isEqualTo(200);
    }

    /**
     * Authorization goes by the ids a command names, resolved through the lookups; what the handler then writes is
     * checked as well. Here the lookup says the stranger lives in the caller's subtree (as a stale lookup, or a user
     * moved meanwhile, would), while its aggregate lives in another organization: the deactivation it would write
     * there is undone with the same 404.
     */
    @Test
    void whatTheHandlerWritesIsCheckedAgainstTheCallersSubtreeNotOnlyWhatTheLookupsSaid() {
        Tree tree = tree();
        String homeOfStranger = jdbc.sql("SELECT account_id FROM command_lookup.app_user WHERE id = ?::uuid")
                                    .param(tree.stranger()).query(String.class).single();
        jdbc.sql("UPDATE command_lookup.app_user SET account_id = ?::uuid WHERE id = ?::uuid")
            .params(tree.child(), tree.stranger()).update();
        try {
            refused(() -> as(tokenOf(tree.permitted()), HttpMethod.POST,
                             "/api/v1/users/" + tree.stranger() + "/deactivate", null), 404, "NOT_FOUND");
        } finally {
            jdbc.sql("UPDATE command_lookup.app_user SET account_id = ?::uuid WHERE id = ?::uuid")
                .params(homeOfStranger, tree.stranger()).update();
        }
    }

    @Test
    void aRetryWithAnIdempotencyKeyIsRefusedOnceTheUserIsDeactivated() {
        Tree tree = tree();
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(tokenOf(tree.permitted()));
        headers.set("Idempotency-Key", UUID.randomUUID().toString());
        String path = "/api/v1/accounts/" + tree.child() + "/children";
        String body = "{\"name\": \"Once\", \"seats\": 0}";
        assertThat(api.send(HttpMethod.POST, path, body, headers).getStatusCode().value()).isEqualTo(201);

        admin(HttpMethod.POST, "/api/v1/users/" + tree.permitted() + "/deactivate", null);

        assertProblem(api.send(HttpMethod.POST, path, body, headers), 403, "USER_DEACTIVATED");
    }

    @Test
    void theActorOfTheEventsIsTheAuthenticatedUser() {
        Tree tree = tree();

        ResponseEntity<JsonNode> created = as(tokenOf(tree.permitted()), HttpMethod.POST,
                                              "/api/v1/accounts/" + tree.child() + "/children",
                                              "{\"name\": \"Mine\", \"seats\": 0}");

        assertThat(api.metadataAt(created.getBody().get("position").asLong()))
                .contains("\"actor\":\"" + tree.permitted() + "\"");
    }

    @Test
    void refusesExpiredWrongAudienceAndForeignTokens() {
        String body = "{\"name\": \"Nope\", \"seats\": 0}";

        for (Map.Entry<String, String> token : TestTokens.refused().entrySet()) {
            ResponseEntity<JsonNode> refused = as(token.getValue(), HttpMethod.POST, "/api/v1/accounts", body);
            assertThat(refused.getStatusCode().value()).as(token.getKey()).isEqualTo(401);
            assertProblem(refused, 401, "UNAUTHENTICATED");
            assertThat(refused.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        }
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value())
                .as("health needs no token").isEqualTo(200);
        assertThat(http.getForEntity("/v3/api-docs", String.class).getStatusCode().value()).isEqualTo(200);
    }

    /** No token, and a forged one: 401, and nothing written. */
    private void refusedWithoutAValidToken(Endpoint endpoint, Tree tree) {
        refused(() -> call(endpoint, tree, null), 401, "UNAUTHENTICATED");
        refused(() -> call(endpoint, tree, TestTokens.forged()), 401, "UNAUTHENTICATED");
    }

    /** Asserts the problem the call answers, and that it appended no event. */
    private ResponseEntity<JsonNode> refused(Supplier<ResponseEntity<JsonNode>> call, int status, String code) {
        long eventsBefore = api.eventCount();
        ResponseEntity<JsonNode> response = call.get();
        assertProblem(response, status, code);
        assertThat(api.eventCount()).as("a refused command changes nothing").isEqualTo(eventsBefore);
        return response;
    }

    private static List<Permission> allBut(Permission lacking) {
        return Arrays.stream(Permission.values()).filter(permission -> permission != lacking).toList();
    }

    private static String tokenOf(String userId) {
        return TestTokens.user(UUID.fromString(userId));
    }

    private Tree tree() {
        String org = admin(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 100}");
        String home = child(org, 60);
        String child = child(home, 20);
        String otherChild = child(home, 5);
        String leaf = child(home, 0);
        String deletedLeaf = child(home, 0);
        admin(HttpMethod.DELETE, "/api/v1/accounts/" + deletedLeaf, null);
        String member = user(child, List.of());
        admin(HttpMethod.POST, "/api/v1/accounts/" + child + "/devices",
              "{\"serial\": \"" + UUID.randomUUID() + "\", \"name\": \"D\"}");
        String device = jdbc.sql("SELECT id FROM command_lookup.device WHERE account_id = ?::uuid")
                            .param(child).query(String.class).single();
        String token = api.send(HttpMethod.POST, "/api/v1/seat-tokens", "{\"seats\": 1}").getBody().get("token")
                          .asText();
        String sibling = admin(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"Sibling\", \"seats\": 1}");
        return new Tree(org, home, child, otherChild, leaf, deletedLeaf, member, device, token,
                        user(home, ALL_PERMISSIONS), user(home, List.of()), user(sibling, ALL_PERMISSIONS));
    }

    private String child(String parent, long seats) {
        return admin(HttpMethod.POST, "/api/v1/accounts/" + parent + "/children",
                     "{\"name\": \"Child\", \"seats\": " + seats + "}");
    }

    private String user(String account, Collection<Permission> permissions) {
        String id = admin(HttpMethod.POST, "/api/v1/accounts/" + account + "/users",
                          "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}");
        if (!permissions.isEmpty()) {
            admin(HttpMethod.POST, "/api/v1/users/" + id + "/permissions", "{\"grant\": " + permissions.stream()
                    .map(permission -> "\"" + permission + "\"").collect(Collectors.joining(", ", "[", "]")) + "}");
        }
        return id;
    }

    private String admin(HttpMethod method, String path, String json) {
        ResponseEntity<JsonNode> response = api.send(method, path, json);
        assertThat(response.getStatusCode().is2xxSuccessful()).as(method + " " + path + ": " + response.getBody())
                                                              .isTrue();
        return response.getBody().get("id").asText();
    }

    private ResponseEntity<JsonNode> call(Endpoint endpoint, Tree tree, String token) {
        return as(token, endpoint.method(), endpoint.path().apply(tree), endpoint.body().apply(tree));
    }

    private ResponseEntity<JsonNode> as(String token, HttpMethod method, String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, token == null ? "" : "Bearer " + token);
        return api.send(method, path, json, headers);
    }
}
