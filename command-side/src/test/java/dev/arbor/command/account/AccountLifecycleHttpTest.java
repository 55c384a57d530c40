package dev.arbor.command.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Seat moves, suspension, deletion, limits and configuration over HTTP, against PostgreSQL. */
@CommandSideTest
class AccountLifecycleHttpTest {

    private final CommandSideClient api;

    @Autowired
    AccountLifecycleHttpTest(TestRestTemplate http, JdbcClient jdbc) {
        this.api = new CommandSideClient(http, jdbc);
    }

    @Test
    void movesSeatsAndAnswersTheGiversVersionAndTheLastPosition() {
        String root = api.create("/api/v1/accounts", 100);
        String child = api.create("/api/v1/accounts/" + root + "/children", 30);

        ResponseEntity<JsonNode> moved = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-transfers",
                                              "{\"to\": \"" + child + "\", \"seats\": 10}");

        assertThat(moved.getStatusCode().value()).isEqualTo(200);
        assertThat(moved.getBody().get("id").asText()).isEqualTo(root);
        assertThat(moved.getBody().get("version").asLong()).isEqualTo(2);
        assertThat(api.eventAt(moved.getBody().get("position").asLong()))
                .isEqualTo(child + "#1 dev.arbor.api.account.SeatsReceived");
        assertProblem(api.send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/seats", "{\"seats\": -1}"),
                      400, "VALIDATION_FAILED");
        assertThat(api.send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/seats", "{\"seats\": 5}")
                           .getStatusCode().value()).isEqualTo(200);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/seat-transfers",
                           "{\"to\": \"" + root + "\", \"seats\": 6}"), 409, "INSUFFICIENT_SEATS");
    }

    @Test
    void ifMatchGuardsAgainstLostUpdates() {
        String root = api.create("/api/v1/accounts", 0);
        HttpHeaders stale = new HttpHeaders();
        stale.setIfMatch("\"5\"");
        HttpHeaders current = new HttpHeaders();
        current.setIfMatch("\"0\"");
        long eventsBefore = api.eventCount();

        assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + root, "{\"name\": \"Stale\"}", stale),
                      412, "VERSION_MISMATCH");
        assertThat(api.eventCount()).isEqualTo(eventsBefore);
        ResponseEntity<JsonNode> renamed = api.send(HttpMethod.PATCH, "/api/v1/accounts/" + root,
                                                    "{\"name\": \"Fresh\"}", current);
        assertThat(renamed.getStatusCode().value()).isEqualTo(200);
        assertThat(renamed.getBody().get("version").asLong()).isEqualTo(1);
        assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + root, "{\"name\": \"Again\"}", current),
                      412, "VERSION_MISMATCH");
        HttpHeaders nonsense = new HttpHeaders();
        nonsense.set("If-Match", "yesterday");
        assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + root, "{\"name\": \"X\"}", nonsense),
                      400, "MALFORMED_REQUEST");
    }

    @Test
    void repeatingASuspensionChangesNothingAndAnswersTheSameVersion() {
        String root = api.create("/api/v1/accounts", 0);

        JsonNode first = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/suspend", "{\"reason\": \"unpaid\"}")
                .getBody();
        JsonNode again = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/suspend", null).getBody();
        JsonNode lifted = api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/unsuspend", null).getBody();

        assertThat(first.get("version").asLong()).isEqualTo(1);
        assertThat(again).isEqualTo(first);
        assertThat(lifted.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void deletesAChildReturningItsSeatsButNeverARoot() {
        String root = api.create("/api/v1/accounts", 10);
        String child = api.create("/api/v1/accounts/" + root + "/children", 4);

        assertThat(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null).getStatusCode().value()).isEqualTo(200);
        assertProblem(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + root, null), 409, "ROOT_ACCOUNT");
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/seat-transfers",
                           "{\"to\": \"" + root + "\", \"seats\": 1}"), 409, "ACCOUNT_DELETED");
        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/reactivate", "{\"seats\": 10}")
                           .getStatusCode().value()).isEqualTo(200);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/children",
                           "{\"name\": \"more\", \"seats\": 1}"), 409, "INSUFFICIENT_SEATS");
    }

    @Test
    void keepsChildLimitsWithinTheParents() {
        String root = api.create("/api/v1/accounts", 0);
        String child = api.create("/api/v1/accounts/" + root + "/children", 0);

        assertThat(api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 10}")
                           .getStatusCode().value()).isEqualTo(200);
        assertProblem(api.send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": 11}"),
                      409, "LIMIT_EXCEEDS_PARENT");
        assertProblem(api.send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": -1}"),
                      400, "VALIDATION_FAILED");
    }

    /** The children's limits are the account directory's (command_lookup.account_node.limits), not the parent's. */
    @Test
    void keepsAParentsLimitsAboveThoseOfItsChildrenThatAreNotDeleted() {
        String root = api.create("/api/v1/accounts", 0);
        String child = api.create("/api/v1/accounts/" + root + "/children", 0);
        assertThat(api.send(HttpMethod.PUT, "/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": 8, \"maxIPs\": 2}")
                      .getStatusCode().value()).isEqualTo(200);

        assertProblem(api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 7}"),
                      409, "LIMIT_BELOW_CHILD");
        assertThat(api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 8, \"other\": 1}")
                      .getStatusCode().value()).isEqualTo(200);
        assertThat(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null).getStatusCode().value())
                .isEqualTo(200);
        assertThat(api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 7}")
                      .getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void patchesDetailsAndConfiguration() {
        String root = api.create("/api/v1/accounts", 0);

        JsonNode renamed = api.send(HttpMethod.PATCH, "/api/v1/accounts/" + root,
                                "{\"name\": \"Renamed\", \"description\": null}").getBody();
        JsonNode configured = api.send(HttpMethod.PATCH, "/api/v1/accounts/" + root + "/config",
                                   "{\"billable\": true, \"properties\": {\"region\": \"eu\"}}").getBody();

        assertThat(renamed.get("version").asLong()).isEqualTo(1);
        assertThat(configured.get("version").asLong()).isEqualTo(2);
        assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + root, "{\"name\": \"\"}"), 400, "VALIDATION_FAILED");
    }

    @Test
    void redeemsASeatTokenOnce() {
        String root = api.create("/api/v1/accounts", 0);
        ResponseEntity<JsonNode> issued = api.send(HttpMethod.POST, "/api/v1/seat-tokens", "{\"seats\": 25}");
        assertThat(issued.getStatusCode().value()).isEqualTo(201);
        assertThat(issued.getBody().get("seats").asLong()).isEqualTo(25);
        String redeem = "{\"token\": \"" + issued.getBody().get("token").asText() + "\"}";

        ResponseEntity<JsonNode> redeemed = api.send(HttpMethod.POST,
                                                     "/api/v1/accounts/" + root + "/seat-tokens/redeem", redeem);

        assertThat(redeemed.getStatusCode().value()).isEqualTo(200);
        assertThat(api.eventAt(redeemed.getBody().get("position").asLong()))
                .isEqualTo(root + "#1 dev.arbor.api.account.SeatsGranted");
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-tokens/redeem", redeem),
                      409, "TOKEN_ALREADY_REDEEMED");
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/seat-tokens/redeem",
                               "{\"token\": \"st_forged\"}"), 404, "NOT_FOUND");
    }

    @Test
    void externalIdsAreUniqueOverAllAccountsDeletedOnesIncluded() {
        String externalId = "ext-" + java.util.UUID.randomUUID();
        String root = created(api.send(HttpMethod.POST, "/api/v1/accounts",
                                       "{\"name\": \"A\", \"seats\": 5, \"externalId\": \"" + externalId + "\"}"));
        String child = api.create("/api/v1/accounts/" + root + "/children", 1);
        long eventsBefore = api.eventCount();

        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts",
                               "{\"name\": \"B\", \"seats\": 0, \"externalId\": \"" + externalId + "\"}"),
                      409, "DUPLICATE_EXTERNAL_ID");
        assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + child,
                               "{\"externalId\": \"" + externalId + "\"}"), 409, "DUPLICATE_EXTERNAL_ID");
        assertThat(api.eventCount()).isEqualTo(eventsBefore);

        assertThat(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + child, "{\"externalId\": \"" + externalId + "-eu\"}")
                      .getStatusCode().value()).isEqualTo(200);
        assertThat(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null).getStatusCode().value()).isEqualTo(200);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/children",
                               "{\"name\": \"C\", \"seats\": 0, \"externalId\": \"" + externalId + "-eu\"}"),
                      409, "DUPLICATE_EXTERNAL_ID");
    }

    private static String created(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).isEqualTo(201);
        return response.getBody().get("id").asText();
    }

    @Test
    void treesStopAtTheDepthLimit() {
        String account = api.create("/api/v1/accounts", 0);
        for (int depth = 1; depth <= 10; depth++) {
            account = api.create("/api/v1/accounts/" + account + "/children", 0);
        }

        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/children",
                               "{\"name\": \"too deep\", \"seats\": 0}"), 409, "DEPTH_LIMIT");
    }

    @Test
    void nothingIsCreatedUnderASuspendedAncestor() {
        String root = api.create("/api/v1/accounts", 10);
        String child = api.create("/api/v1/accounts/" + root + "/children", 5);
        String newGrandchild = "{\"name\": \"grandchild\", \"seats\": 1}";

        api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/suspend", null);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/children", newGrandchild),
                      403, "ACCOUNT_SUSPENDED");

        api.send(HttpMethod.POST, "/api/v1/accounts/" + root + "/unsuspend", null);
        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/children", newGrandchild)
                      .getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void movesASubtreeAndKeepsItsRulesAfterwards() {
        String root = api.create("/api/v1/accounts", 10);
        String a = api.create("/api/v1/accounts/" + root + "/children", 0);
        String b = api.create("/api/v1/accounts/" + root + "/children", 0);
        String aChild = api.create("/api/v1/accounts/" + a + "/children", 0);

        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts/" + a + "/move", "{\"newParentId\": \"" + b + "\"}")
                      .getStatusCode().value()).isEqualTo(200);

        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + b + "/move",
                               "{\"newParentId\": \"" + aChild + "\"}"), 409, "MOVE_CYCLE");
        String deepest = aChild;
        for (int depth = 4; depth <= 10; depth++) {
            deepest = api.create("/api/v1/accounts/" + deepest + "/children", 0);
        }
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + deepest + "/children",
                               "{\"name\": \"too deep\", \"seats\": 0}"), 409, "DEPTH_LIMIT");
        String other = api.create("/api/v1/accounts", 0);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + a + "/move",
                               "{\"newParentId\": \"" + other + "\"}"), 409, "DIFFERENT_ROOT");
    }

    @Test
    void spring404sAnd405sCarryACodeToo() {
        assertProblem(api.send(HttpMethod.GET, "/api/v1/no-such-thing", null), 404, "NOT_FOUND");
        assertProblem(api.send(HttpMethod.GET, "/api/v1/accounts", null), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void answersNotFoundForAnUnknownAccount() {
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/0191e5b2-0000-7000-8000-00000000dead/seat-transfers",
                           "{\"to\": \"0191e5b2-0000-7000-8000-00000000beef\", \"seats\": 1}"), 404, "NOT_FOUND");
        assertProblem(api.send(HttpMethod.DELETE, "/api/v1/accounts/0191e5b2-0000-7000-8000-00000000dead", null),
                      404, "NOT_FOUND");
    }

}
