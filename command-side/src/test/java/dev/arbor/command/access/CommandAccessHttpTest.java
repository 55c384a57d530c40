package dev.arbor.command.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import dev.arbor.local.TestTokens;
import dev.arbor.tokens.ArborTokens;
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

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may send which command, over HTTP with real tokens. The tree: an organization, its child {@code home} (where
 * the users {@code permitted}, holding every permission, and {@code powerless}, holding none, live), and below home
 * the accounts the commands act on; beside it a sibling organization with its own user, {@code stranger}.
 */
@CommandSideTest
class CommandAccessHttpTest {

    private static final String ALL_PERMISSIONS = "[\"ACCOUNTS_ADD\", \"ACCOUNTS_EDIT\", \"ACCOUNTS_DELETE\", "
            + "\"SEATS_MANAGE\", \"LIMITS_MANAGE\", \"USERS_MANAGE\", \"DEVICES_MANAGE\"]";

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcClient jdbc;
    private CommandSideClient api;

    /** Everything one endpoint's checks need, made fresh by the admin. */
    record Tree(String org, String home, String child, String otherChild, String leaf, String deletedLeaf,
                String member, String device, String seatToken, String permitted, String powerless, String stranger) {
    }

    /** A command endpoint: how to call it on a tree. */
    record Endpoint(String name, HttpMethod method, Function<Tree, String> path, Function<Tree, String> body) {
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
                new Endpoint("create child", HttpMethod.POST, t -> "/api/v1/accounts/" + t.child() + "/children",
                             t -> "{\"name\": \"New\", \"seats\": 1}"),
                new Endpoint("update details", HttpMethod.PATCH, t -> "/api/v1/accounts/" + t.child(),
                             t -> "{\"name\": \"Renamed\"}"),
                new Endpoint("update config", HttpMethod.PATCH, t -> "/api/v1/accounts/" + t.child() + "/config",
                             t -> "{\"billable\": true}"),
                new Endpoint("suspend", HttpMethod.POST, t -> "/api/v1/accounts/" + t.child() + "/suspend", t -> null),
                new Endpoint("unsuspend", HttpMethod.POST, t -> "/api/v1/accounts/" + t.child() + "/unsuspend",
                             t -> null),
                new Endpoint("move", HttpMethod.POST, t -> "/api/v1/accounts/" + t.leaf() + "/move",
                             t -> "{\"newParentId\": \"" + t.otherChild() + "\"}"),
                new Endpoint("delete", HttpMethod.DELETE, t -> "/api/v1/accounts/" + t.leaf(), t -> null),
                new Endpoint("reactivate", HttpMethod.POST, t -> "/api/v1/accounts/" + t.deletedLeaf() + "/reactivate",
                             t -> null),
                new Endpoint("move seats", HttpMethod.POST, t -> "/api/v1/accounts/" + t.home() + "/seat-transfers",
                             t -> "{\"to\": \"" + t.child() + "\", \"seats\": 1}"),
                new Endpoint("set seats", HttpMethod.PUT, t -> "/api/v1/accounts/" + t.child() + "/seats",
                             t -> "{\"seats\": 6}"),
                new Endpoint("change limits", HttpMethod.PUT, t -> "/api/v1/accounts/" + t.child() + "/limits",
                             t -> "{}"),
                new Endpoint("redeem seat token", HttpMethod.POST,
                             t -> "/api/v1/accounts/" + t.child() + "/seat-tokens/redeem",
                             t -> "{\"token\": \"" + t.seatToken() + "\"}"),
                new Endpoint("add user", HttpMethod.POST, t -> "/api/v1/accounts/" + t.child() + "/users",
                             t -> "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"N\"}"),
                new Endpoint("change user account", HttpMethod.POST,
                             t -> "/api/v1/users/" + t.member() + "/change-account",
                             t -> "{\"accountId\": \"" + t.otherChild() + "\"}"),
                new Endpoint("deactivate user", HttpMethod.POST, t -> "/api/v1/users/" + t.member() + "/deactivate",
                             t -> null),
                new Endpoint("reactivate user", HttpMethod.POST, t -> "/api/v1/users/" + t.member() + "/reactivate",
                             t -> null),
                new Endpoint("change permissions", HttpMethod.POST, t -> "/api/v1/users/" + t.member() + "/permissions",
                             t -> "{\"grant\": [\"DEVICES_MANAGE\"]}"),
                new Endpoint("register device", HttpMethod.POST, t -> "/api/v1/accounts/" + t.child() + "/devices",
                             t -> "{\"serial\": \"" + UUID.randomUUID() + "\", \"name\": \"D\"}"),
                new Endpoint("remove device", HttpMethod.DELETE, t -> "/api/v1/devices/" + t.device(), t -> null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void onlyCallersWithThePermissionInsideTheSubtreeGetThrough(Endpoint endpoint) {
        Tree tree = tree();
        long eventsBefore = api.eventCount();

        assertProblem(call(endpoint, tree, null), 401, "UNAUTHENTICATED");
        assertProblem(call(endpoint, tree, forged()), 401, "UNAUTHENTICATED");
        ResponseEntity<JsonNode> outOfReach = call(endpoint, tree, TestTokens.user(UUID.fromString(tree.stranger())));
        assertProblem(outOfReach, 404, "NOT_FOUND");
        assertThat(outOfReach.getBody().get("detail").asText()).as("names nothing it found")
                                                                .isEqualTo("No resource with that id.");
        assertProblem(call(endpoint, tree, TestTokens.user(UUID.fromString(tree.powerless()))), 403,
                      "PERMISSION_DENIED");
        assertThat(api.eventCount()).as("refused commands change nothing").isEqualTo(eventsBefore);

        assertThat(call(endpoint, tree, TestTokens.user(UUID.fromString(tree.permitted()))).getStatusCode()
                                                                                          .is2xxSuccessful())
                .as("a user with the permission").isTrue();
        Tree another = tree();
        assertThat(call(endpoint, another, TestTokens.admin()).getStatusCode().is2xxSuccessful())
                .as("the admin").isTrue();
    }

    @Test
    void onlyTheAdminCreatesOrganizationsAndIssuesSeatTokens() {
        Tree tree = tree();
        String permitted = TestTokens.user(UUID.fromString(tree.permitted()));

        assertProblem(as(permitted, HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"Mine\", \"seats\": 1}"), 403,
                      "PERMISSION_DENIED");
        assertProblem(as(permitted, HttpMethod.POST, "/api/v1/seat-tokens", "{\"seats\": 1}"), 403,
                      "PERMISSION_DENIED");
    }

    @Test
    void aUserCannotDeleteSuspendMoveReseatOrLimitItsOwnAccount() {
        Tree tree = tree();
        String permitted = TestTokens.user(UUID.fromString(tree.permitted()));
        String own = "/api/v1/accounts/" + tree.home();

        assertProblem(as(permitted, HttpMethod.DELETE, own, null), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.POST, own + "/suspend", null), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.POST, own + "/move", "{\"newParentId\": \"" + tree.child() + "\"}"),
                      403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.PUT, own + "/seats", "{\"seats\": 1}"), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.PUT, own + "/limits", "{}"), 403, "OWN_ACCOUNT");
        assertProblem(as(permitted, HttpMethod.POST, own + "/seat-transfers",
                         "{\"to\": \"" + tree.org() + "\", \"seats\": 1}"), 404, "NOT_FOUND");
    }

    @Test
    void aUserCannotRaiseItsOwnPermissionsNorGrantOnesItLacks() {
        Tree tree = tree();
        String powerless = TestTokens.user(UUID.fromString(tree.powerless()));
        admin(HttpMethod.POST, "/api/v1/users/" + tree.powerless() + "/permissions", "{\"grant\": [\"USERS_MANAGE\"]}");

        assertProblem(as(powerless, HttpMethod.POST, "/api/v1/users/" + tree.powerless() + "/permissions",
                         "{\"grant\": [\"ACCOUNTS_DELETE\"]}"), 403, "PERMISSION_DENIED");
        assertProblem(as(powerless, HttpMethod.POST, "/api/v1/users/" + tree.member() + "/permissions",
                         "{\"grant\": [\"ACCOUNTS_DELETE\"]}"), 403, "PERMISSION_DENIED");
        assertThat(as(powerless, HttpMethod.POST, "/api/v1/users/" + tree.member() + "/permissions",
                      "{\"grant\": [\"USERS_MANAGE\"]}").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aDeactivatedUserOrOneUnderASuspendedAccountIsRefusedEverywhere() {
        Tree tree = tree();
        String permitted = TestTokens.user(UUID.fromString(tree.permitted()));
        String createChild = "/api/v1/accounts/" + tree.child() + "/children";

        admin(HttpMethod.POST, "/api/v1/accounts/" + tree.org() + "/suspend", null);
        assertProblem(as(permitted, HttpMethod.POST, createChild, "{\"name\": \"N\", \"seats\": 0}"), 403,
                      "ACCOUNT_SUSPENDED");
        admin(HttpMethod.POST, "/api/v1/accounts/" + tree.org() + "/unsuspend", null);
        admin(HttpMethod.POST, "/api/v1/users/" + tree.permitted() + "/deactivate", null);
        assertProblem(as(permitted, HttpMethod.POST, createChild, "{\"name\": \"N\", \"seats\": 0}"), 403,
                      "USER_DEACTIVATED");
    }

    @Test
    void aRetryWithAnIdempotencyKeyIsRefusedOnceTheUserIsDeactivated() {
        Tree tree = tree();
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(TestTokens.user(UUID.fromString(tree.permitted())));
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

        ResponseEntity<JsonNode> created = as(TestTokens.user(UUID.fromString(tree.permitted())), HttpMethod.POST,
                                              "/api/v1/accounts/" + tree.child() + "/children",
                                              "{\"name\": \"Mine\", \"seats\": 0}");

        assertThat(api.metadataAt(created.getBody().get("position").asLong()))
                .contains("\"actor\":\"" + tree.permitted() + "\"");
    }

    @Test
    void refusesExpiredWrongAudienceAndForeignTokens() {
        ArborTokens tokens = TestTokens.tokens();
        String expired = tokens.sign(ArborTokens.claims(ArborTokens.ADMIN_SUBJECT, Duration.ofMinutes(-5))
                                                .claim(ArborTokens.ADMIN_CLAIM, true).build());
        String wrongAudience = tokens.sign(ArborTokens.claims(ArborTokens.ADMIN_SUBJECT, Duration.ofMinutes(5))
                                                      .audience("someone-else").claim(ArborTokens.ADMIN_CLAIM, true)
                                                      .build());
        String notAUser = tokens.sign(ArborTokens.claims("not-a-uuid", Duration.ofMinutes(5)).build());
        String neverExpires = tokens.sign(new JWTClaimsSet.Builder(
                ArborTokens.claims(ArborTokens.ADMIN_SUBJECT, Duration.ofMinutes(5)).claim(ArborTokens.ADMIN_CLAIM, true)
                           .build()).expirationTime(null).build());
        String body = "{\"name\": \"Nope\", \"seats\": 0}";

        for (String token : List.of(expired, wrongAudience, forged(), notAUser, neverExpires, "garbage")) {
            ResponseEntity<JsonNode> refused = as(token, HttpMethod.POST, "/api/v1/accounts", body);
            assertProblem(refused, 401, "UNAUTHENTICATED");
            assertThat(refused.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        }
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value())
                .as("health needs no token").isEqualTo(200);
        assertThat(http.getForEntity("/v3/api-docs", String.class).getStatusCode().value()).isEqualTo(200);
    }

    private Tree tree() {
        String org = admin(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 100}");
        String home = child(org, 60);
        String child = child(home, 20);
        String otherChild = child(home, 5);
        String leaf = child(home, 0);
        String deletedLeaf = child(home, 0);
        admin(HttpMethod.DELETE, "/api/v1/accounts/" + deletedLeaf, null);
        String member = user(child, null);
        admin(HttpMethod.POST, "/api/v1/accounts/" + child + "/devices",
              "{\"serial\": \"" + UUID.randomUUID() + "\", \"name\": \"D\"}");
        String device = jdbc.sql("SELECT id FROM command_lookup.device WHERE account_id = ?::uuid")
                            .param(child).query(String.class).single();
        String token = api.send(HttpMethod.POST, "/api/v1/seat-tokens", "{\"seats\": 1}").getBody().get("token")
                          .asText();
        String sibling = admin(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"Sibling\", \"seats\": 1}");
        return new Tree(org, home, child, otherChild, leaf, deletedLeaf, member, device, token,
                        user(home, ALL_PERMISSIONS), user(home, null), user(sibling, ALL_PERMISSIONS));
    }

    private String child(String parent, long seats) {
        return admin(HttpMethod.POST, "/api/v1/accounts/" + parent + "/children",
                     "{\"name\": \"Child\", \"seats\": " + seats + "}");
    }

    private String user(String account, String permissions) {
        String id = admin(HttpMethod.POST, "/api/v1/accounts/" + account + "/users",
                          "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}");
        if (permissions != null) {
            admin(HttpMethod.POST, "/api/v1/users/" + id + "/permissions", "{\"grant\": " + permissions + "}");
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

    /** A well-formed admin token signed with a key Arbor does not know. */
    private static String forged() {
        try {
            RSAKey stranger = new RSAKeyGenerator(2048).keyID("forger").generate();
            return new ArborTokens(stranger).admin(Duration.ofMinutes(5));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
