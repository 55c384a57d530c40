package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries issue 22 added for clients written against the reference APIs (../shared/seeds): an account's
 * configuration and limits on their own. Who may read them is {@link QueryAccessTest}'s and
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

    /** A read as the admin once the read model holds the commands sent so far. */
    private JsonNode read(String path) {
        Http.Response answer = Http.getAfter(arbor.querySide, path, admin.lastPosition(), 5_000);
        assertThat(answer.status()).as(path).isEqualTo(200);
        return answer.body();
    }

    private static void assertProblem(Http.Response response, int status, String code, String what) {
        assertThat(response.status()).as(what).isEqualTo(status);
        assertThat(response.contentType()).as(what).isEqualTo("application/problem+json");
        assertThat(response.body().get("code").asText()).as(what).isEqualTo(code);
    }
}
