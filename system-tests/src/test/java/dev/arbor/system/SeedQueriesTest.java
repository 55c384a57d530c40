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
 * configuration and limits on their own, the caller's own user and account. Who may read them is {@link QueryAccessTest}'s and
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
