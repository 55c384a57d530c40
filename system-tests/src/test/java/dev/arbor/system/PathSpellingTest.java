package dev.arbor.system;

import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every path has one spelling, on both apps, through Tomcat, the security filters and Spring MVC (issue 18): an
 * encoded unreserved character, an empty segment, a dot segment, a matrix parameter or a trailing slash is refused
 * with 400 {@code NON_CANONICAL_PATH}, before authentication, so the caller learns nothing about the path; another
 * case names no endpoint, 404 {@code NOT_FOUND}. Other escapes are data in an id, as before.
 */
class PathSpellingTest {

    private final RunningArbor arbor = RunningArbor.get();

    /** A spelling of {@code /api/v1/accounts/{id}}-like paths, and what each app answers for it. */
    private record Spelling(String path, int status, String code) {
    }

    private static List<Spelling> spellings(String id) {
        return List.of(
                new Spelling("/api/v1/%61ccounts/" + id, 400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1/accounts/" + id.substring(0, 35) + "%" + Integer.toHexString(id.charAt(35)),
                             400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1/%7Eaccounts/" + id, 400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1//accounts/" + id, 400, "NON_CANONICAL_PATH"),
                new Spelling("//api/v1/accounts/" + id, 400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1/accounts/" + id + "/", 400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1/accounts;v=1/" + id, 400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1/accounts/" + id + ";jsessionid=x", 400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1/./accounts/" + id, 400, "NON_CANONICAL_PATH"),
                new Spelling("/api/v1/users/../accounts/" + id, 400, "NON_CANONICAL_PATH"),
                new Spelling("/API/v1/accounts/" + id, 404, "NOT_FOUND"),
                new Spelling("/api/v1/Accounts/" + id, 404, "NOT_FOUND"),
                new Spelling("/api/V1/ACCOUNTS/" + id, 404, "NOT_FOUND"));
    }

    @Test
    void theQuerySideAnswersOnlyThePathsOwnSpelling() {
        Commands commands = new Commands(arbor.commandSide);
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Spelt\", \"seats\": 1}");
        assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts/" + org, commands.lastPosition(), 5_000).status())
                .as("the path's own spelling").isEqualTo(200);
        for (Spelling spelling : spellings(org)) {
            assertRefused(arbor.querySide, "GET", spelling, null, TestTokens.admin());
            assertRefused(arbor.querySide, "GET", spelling, null, TestTokens.user(UUID.randomUUID()));
        }
    }

    @Test
    void theCommandSideAnswersOnlyThePathsOwnSpelling() {
        Commands commands = new Commands(arbor.commandSide);
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Spelt\", \"seats\": 1}");
        String body = "{\"name\": \"Renamed\"}";
        for (Spelling spelling : spellings(org)) {
            assertRefused(arbor.commandSide, "PATCH", spelling, body, TestTokens.admin());
        }
        Http.Response kept = Http.getAfter(arbor.querySide, "/api/v1/accounts/" + org, commands.lastPosition(), 5_000);
        assertThat(kept.body().get("name").asText()).as("no spelling renamed it").isEqualTo("Spelt");
    }

    /** The spelling rules come before authentication: without a token the answer is the same. */
    @Test
    void aMisspeltPathIsRefusedBeforeTheTokenIsLookedAt() {
        for (URI app : List.of(arbor.querySide, arbor.commandSide)) {
            Http.Text answer = Http.exchange(app, "GET", "/api/v1/%61ccounts", null, null);
            assertThat(answer.status()).as(app.toString()).isEqualTo(400);
            assertThat(answer.body()).contains("NON_CANONICAL_PATH");
        }
    }

    /** Escapes of other characters are an id's data: it names nothing, 404, as HostileInputTest has it. */
    @Test
    void otherEscapesStayDataInAnId() {
        Http.Text answer = Http.exchange(arbor.querySide, "GET", "/api/v1/accounts/a%20b", null, TestTokens.admin());
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
    }

    private static void assertRefused(URI app, String method, Spelling spelling, String body, String token) {
        Http.Text answer = Http.exchange(app, method, spelling.path(), body, token);
        String what = method + " " + app + spelling.path() + " -> " + answer.body();
        assertThat(answer.status()).as(what).isEqualTo(spelling.status());
        assertThat(answer.contentType()).as(what).isEqualTo("application/problem+json");
        assertThat(answer.body()).as(what).contains("\"code\":\"" + spelling.code() + "\"");
    }

}
