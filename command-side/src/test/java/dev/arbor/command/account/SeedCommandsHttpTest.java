package dev.arbor.command.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.UUID;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands issue 22 added for clients written against the reference APIs (../shared/seeds), over HTTP against
 * PostgreSQL: limits as a merge patch, {@code enabled} on creation and on {@code PATCH}, labels.
 */
@CommandSideTest
class SeedCommandsHttpTest {

    private static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

    private final CommandSideClient api;
    private final TestRestTemplate http;
    private final JdbcClient jdbc;

    @Autowired
    SeedCommandsHttpTest(TestRestTemplate http, JdbcClient jdbc) {
        this.api = new CommandSideClient(http, jdbc);
        this.http = http;
        this.jdbc = jdbc;
    }

    @Test
    void patchesLimitsAsAMergePatchInEitherMediaType() {
        String root = api.create("/api/v1/accounts", 0);
        assertThat(api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits",
                            "{\"maxVMs\": 100, \"maxServers\": 50}").getStatusCode().value()).isEqualTo(200);

        ResponseEntity<JsonNode> patched = patch("/api/v1/accounts/" + root + "/limits",
                                                 "{\"maxServers\": null, \"maxDisks\": 3}", MERGE_PATCH);
        assertThat(patched.getStatusCode().value()).isEqualTo(200);
        assertThat(api.eventAt(patched.getBody().get("position").asLong()))
                .isEqualTo(root + "#2 dev.arbor.api.account.LimitsChanged");
        assertThat(limitsOf(root)).isEqualTo("{\"maxVMs\": 100, \"maxDisks\": 3}");

        assertThat(patch("/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 90}", MediaType.APPLICATION_JSON)
                           .getStatusCode().value()).isEqualTo(200);
        assertThat(limitsOf(root)).isEqualTo("{\"maxVMs\": 90, \"maxDisks\": 3}");
    }

    @Test
    void aMergePatchThatChangesNothingAnswersTheCurrentVersion() {
        String root = api.create("/api/v1/accounts", 0);
        api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 100}");
        long events = api.eventCount();

        ResponseEntity<JsonNode> same = patch("/api/v1/accounts/" + root + "/limits",
                                              "{\"maxVMs\": 100, \"never\": null}", MERGE_PATCH);

        assertThat(same.getStatusCode().value()).isEqualTo(200);
        assertThat(same.getBody().get("version").asLong()).isEqualTo(1);
        assertThat(api.eventCount()).isEqualTo(events);
    }

    @Test
    void aMergePatchFollowsTheRulesOfThePut() {
        String root = api.create("/api/v1/accounts", 0);
        String child = api.create("/api/v1/accounts/" + root + "/children", 0);
        api.send(HttpMethod.PUT, "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 10}");

        assertProblem(patch("/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": 11}", MERGE_PATCH),
                      409, "LIMIT_EXCEEDS_PARENT");
        assertProblem(patch("/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": -1}", MERGE_PATCH),
                      400, "VALIDATION_FAILED");
        assertProblem(patch("/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": \"ten\"}", MERGE_PATCH),
                      400, "MALFORMED_REQUEST");
        assertProblem(patch("/api/v1/accounts/" + child + "/limits", "{\"maxVMs\": 1}", MediaType.TEXT_PLAIN),
                      415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(patch("/api/v1/accounts/" + UUID.randomUUID() + "/limits", "{\"maxVMs\": 1}", MERGE_PATCH),
                      404, "NOT_FOUND");
    }

    @Test
    void enabledFalseCreatesAnAccountSuspendedAndPatchingEnabledSuspendsOrLiftsIt() {
        ResponseEntity<JsonNode> root = api.send(HttpMethod.POST, "/api/v1/accounts",
                                                 "{\"name\": \"Org\", \"seats\": 1, \"enabled\": false}");
        assertThat(root.getStatusCode().value()).isEqualTo(201);
        String org = root.getBody().get("id").asText();
        assertThat(api.eventAt(root.getBody().get("position").asLong()))
                .isEqualTo(org + "#1 dev.arbor.api.account.AccountSuspended");
        assertThat(suspended(org)).isTrue();

        ResponseEntity<JsonNode> lifted = api.send(HttpMethod.PATCH, "/api/v1/accounts/" + org, "{\"enabled\": true}");
        assertThat(api.eventAt(lifted.getBody().get("position").asLong()))
                .isEqualTo(org + "#2 dev.arbor.api.account.AccountUnsuspended");
        assertThat(suspended(org)).isFalse();

        ResponseEntity<JsonNode> child = api.send(HttpMethod.POST, "/api/v1/accounts/" + org + "/children",
                                                  "{\"name\": \"Child\", \"seats\": 0, \"enabled\": false}");
        String childId = child.getBody().get("id").asText();
        assertThat(api.eventAt(child.getBody().get("position").asLong()))
                .isEqualTo(childId + "#1 dev.arbor.api.account.AccountSuspended");
        String enabled = api.create("/api/v1/accounts/" + org + "/children", 0);
        assertThat(suspended(enabled)).as("left out, enabled").isFalse();
        api.send(HttpMethod.PATCH, "/api/v1/accounts/" + enabled, "{\"name\": \"Off\", \"enabled\": false}");
        assertThat(suspended(enabled)).isTrue();

        assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + org, "{\"enabled\": \"no\"}"),
                      400, "MALFORMED_REQUEST");
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts", "{\"name\": \"X\", \"seats\": 0, \"enabled\": 0}"),
                      400, "MALFORMED_REQUEST");
    }

    /**
     * Labels over HTTP, decided by the directory's unique index in the command's transaction: a sibling's label is
     * refused on creation, relabelling, a move and a reactivation; a deleted account's label is free.
     */
    @Test
    void labelsAreUniqueAmongTheLiveChildrenOfOneParent() {
        String org = api.create("/api/v1/accounts", 0);
        String other = api.create("/api/v1/accounts/" + org + "/children", 0);
        String west = labelled(org, "eu-west");
        assertThat(labelOf(west)).isEqualTo("eu-west");

        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + org + "/children",
                               "{\"name\": \"Twin\", \"seats\": 0, \"label\": \"eu-west\"}"), 409, "DUPLICATE_LABEL");
        String east = labelled(org, "eu-east");
        assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + east, "{\"label\": \"eu-west\"}"),
                      409, "DUPLICATE_LABEL");
        String underOther = labelled(other, "eu-west");
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + underOther + "/move",
                               "{\"newParentId\": \"" + org + "\"}"), 409, "DUPLICATE_LABEL");
        assertThat(labelOf(underOther)).as("a refused move changes nothing").isEqualTo("eu-west");

        assertThat(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + west, null).getStatusCode().value())
                .isEqualTo(200);
        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts/" + underOther + "/move",
                            "{\"newParentId\": \"" + org + "\"}").getStatusCode().value())
                .as("deleting freed the label").isEqualTo(200);
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + west + "/reactivate", null), 409,
                      "DUPLICATE_LABEL");
        assertThat(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + underOther, "{\"label\": null}")
                      .getStatusCode().value()).isEqualTo(200);
        assertThat(labelOf(underOther)).as("cleared").isNull();
        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts/" + west + "/reactivate", null).getStatusCode().value())
                .isEqualTo(200);

        for (String wrong : List.of("\"EU\"", "\"-eu\"", "\"eu-\"", "\"\"", "\"" + "a".repeat(64) + "\"", "7")) {
            assertProblem(api.send(HttpMethod.PATCH, "/api/v1/accounts/" + east, "{\"label\": " + wrong + "}"),
                          400, wrong.startsWith("\"") ? "VALIDATION_FAILED" : "MALFORMED_REQUEST");
        }
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts",
                               "{\"name\": \"Org\", \"seats\": 0, \"label\": \"Acme Corp\"}"), 400, "VALIDATION_FAILED");
    }

    private String labelled(String parent, String label) {
        ResponseEntity<JsonNode> created = api.send(HttpMethod.POST, "/api/v1/accounts/" + parent + "/children",
                                                    "{\"name\": \"L\", \"seats\": 0, \"label\": \"" + label + "\"}");
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        return created.getBody().get("id").asText();
    }

    private String labelOf(String account) {
        // a null label is a row too, which single() would take for none
        List<String> labels = jdbc.sql("SELECT label FROM command_lookup.account_node WHERE id = ?::uuid")
                                  .param(account).query((row, number) -> row.getString("label")).list();
        assertThat(labels).as("the account's row in the directory").hasSize(1);
        return labels.get(0);
    }

    /** Whether the command side's directory holds the account as suspended (itself, not by an ancestor). */
    private boolean suspended(String account) {
        return jdbc.sql("SELECT suspended FROM command_lookup.account_node WHERE id = ?::uuid")
                   .param(account).query(Boolean.class).single();
    }

    private ResponseEntity<JsonNode> patch(String path, String json, MediaType type) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(TestTokens.admin());
        headers.setContentType(type);
        return http.exchange(path, HttpMethod.PATCH, new HttpEntity<>(json, headers), JsonNode.class);
    }

    /** The limits the command side holds for the account (its directory, written with the events). */
    private String limitsOf(String account) {
        return jdbc.sql("SELECT limits::text FROM command_lookup.account_node WHERE id = ?::uuid")
                   .param(account).query(String.class).single();
    }
}
