package dev.arbor.system;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input meant to break things, thrown at both apps over HTTP: each gets a clear 4xx problem+json with a stable
 * code, nothing is written, and both apps stay healthy.
 */
class HostileInputTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final List<String> failures = new ArrayList<>();

    @Test
    void commandsRefuseHostileBodiesAndIdsAndChangeNothing() {
        String org = Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Target\", \"seats\": 5}")
                         .body().get("id").asText();
        String children = "/api/v1/accounts/" + org + "/children";
        long eventsBefore = eventCount();

        refused("body over 64 KiB", post(children, account("\"" + "x".repeat(70_000) + "\"", "1")), 413,
                "PAYLOAD_TOO_LARGE");
        refused("a 10 MB string", post(children, account("\"" + "x".repeat(10 * 1024 * 1024) + "\"", "1")), 413,
                "PAYLOAD_TOO_LARGE");
        refused("JSON nested 20,000 deep", post(children, "{\"name\": " + "[".repeat(20_000) + "]".repeat(20_000)
                + ", \"seats\": 1}"), 400, "MALFORMED_REQUEST");
        refused("NUL in a name", post(children, account("\"a\\u0000b\"", "1")), 400, "VALIDATION_FAILED");
        refused("a bell in a name", post(children, account("\"a\\u0007b\"", "1")), 400, "VALIDATION_FAILED");
        refused("a right-to-left override", post(children, account("\"\\u202Egpj.exe\"", "1")), 400,
                "VALIDATION_FAILED");
        refused("a right-to-left mark", post(children, account("\"Acme\\u200F\"", "1")), 400, "VALIDATION_FAILED");
        refused("negative seats", post(children, account("\"n\"", "-1")), 400, "VALIDATION_FAILED");
        refused("seats = 2^63", post(children, account("\"n\"", "9223372036854775808")), 400, "MALFORMED_REQUEST");
        refused("seats = 1e30", post(children, account("\"n\"", "1e30")), 400, "MALFORMED_REQUEST");
        refused("seats as text", post(children, account("\"n\"", "\"12\"")), 400, "MALFORMED_REQUEST");
        refused("zero seats moved", post("/api/v1/accounts/" + org + "/seat-transfers",
                                         "{\"to\": \"" + org + "\", \"seats\": 0}"), 400, "VALIDATION_FAILED");
        refused("an unknown field", post(children, "{\"name\": \"n\", \"seats\": 1, \"admin\": true}"), 400,
                "MALFORMED_REQUEST");
        refused("not JSON", post(children, "{\"name\": "), 400, "MALFORMED_REQUEST");
        refused("a wrong content type", Http.send(arbor.commandSide, "POST", children, "name=n&seats=1",
                                                   "Content-Type", "application/x-www-form-urlencoded"),
                415, "UNSUPPORTED_MEDIA_TYPE");
        refused("SQL in an id", post("/api/v1/accounts/1%27%20OR%20%271%27=%271/children", account("\"n\"", "1")), 404,
                "NOT_FOUND");
        refused("path traversal in an id", post("/api/v1/accounts/..%2F..%2Fetc%2Fpasswd/children",
                                                account("\"n\"", "1")), 400, "MALFORMED_REQUEST");
        refused("a semicolon in an id", post("/api/v1/accounts/x%3Bdrop/children", account("\"n\"", "1")), 400,
                "MALFORMED_REQUEST");

        assertThat(failures).isEmpty();
        assertThat(eventCount()).as("nothing was written").isEqualTo(eventsBefore);
        assertHealthy(arbor.commandSide);
    }

    /**
     * Seats once overflowed: an organization of 2^63-1 seats given a seat token wrapped to negative on the command
     * side, and the query side's fold of the event failed and parked every later event of the organization. Now no
     * account holds more than 10^9 seats (Seats.MAX), a command asking for more is a 400, and the organization's
     * later events are folded as ever.
     */
    @Test
    void seatsStopAtTheMostOneAccountHoldsAndTheOrganizationGoesOnProjecting() {
        refused("an organization of 2^63-1 seats", post("/api/v1/accounts", account("\"n\"", "9223372036854775807")),
                400, "TOO_MANY_SEATS");
        refused("a seat token of 2^63-1 seats", post("/api/v1/seat-tokens", "{\"seats\": 9223372036854775807}"),
                400, "TOO_MANY_SEATS");
        String org = Http.post(arbor.commandSide, "/api/v1/accounts", account("\"Full\"", "1000000000"))
                         .body().get("id").asText();
        String token = Http.post(arbor.commandSide, "/api/v1/seat-tokens", "{\"seats\": 1}").body().get("token")
                           .asText();
        long eventsBefore = eventCount();

        refused("a seat token beyond the most", post("/api/v1/accounts/" + org + "/seat-tokens/redeem",
                                                     "{\"token\": \"" + token + "\"}"), 400, "TOO_MANY_SEATS");
        refused("a child of 2^63-1 seats", post("/api/v1/accounts/" + org + "/children",
                                                account("\"c\"", "9223372036854775807")), 400, "TOO_MANY_SEATS");
        StringBuilder limits = new StringBuilder("{");
        for (int i = 0; i <= 100; i++) {
            limits.append(i == 0 ? "" : ", ").append("\"limit").append(i).append("\": 1");
        }
        refused("101 limits", Http.send(arbor.commandSide, "PUT", "/api/v1/accounts/" + org + "/limits",
                                        limits.append("}").toString()), 400, "VALIDATION_FAILED");
        refused("an email over 320 characters in lower case",
                post("/api/v1/accounts/" + org + "/users", "{\"email\": \"" + "\u0130".repeat(64) + "@"
                        + "a".repeat(240) + ".example\", \"name\": \"n\"}"), 400, "VALIDATION_FAILED");
        assertThat(failures).isEmpty();
        assertThat(eventCount()).as("nothing was written").isEqualTo(eventsBefore);

        long suspended = Http.post(arbor.commandSide, "/api/v1/accounts/" + org + "/suspend", null).body()
                             .get("position").asLong();
        Http.Response view = Http.getAfter(arbor.querySide, "/api/v1/accounts/" + org, suspended);
        assertThat(view.body().get("status").asText()).isEqualTo("SUSPENDED");
        assertThat(view.body().get("seats").get("total").asLong()).isEqualTo(1_000_000_000L);
        assertHealthy(arbor.commandSide);
    }

    @Test
    void queriesRefuseHostileParametersAndIds() {
        refused("limit 0", get("/api/v1/accounts?limit=0"), 400, "VALIDATION_FAILED");
        refused("limit -5", get("/api/v1/accounts?limit=-5"), 400, "VALIDATION_FAILED");
        refused("limit 2^70", get("/api/v1/accounts?limit=1180591620717411303424"), 400, "MALFORMED_REQUEST");
        refused("limit as text", get("/api/v1/accounts?limit=all"), 400, "MALFORMED_REQUEST");
        refused("a forged cursor", get("/api/v1/accounts?cursor=Zm9vOmJhcg"), 400, "MALFORMED_REQUEST");
        refused("an RSQL injection", get("/api/v1/accounts?filter=name%3D%3Dx%3B(status%3D%3DACTIVE"), 400,
                "INVALID_FILTER");
        refused("SQL in a filter field", get("/api/v1/accounts?filter=%22name%3B%20DROP%20TABLE%20x%22%3D%3Dy"), 400,
                "INVALID_FILTER");
        refused("an unreadable asOf", get("/api/v1/accounts/" + UUID.randomUUID() + "?asOf=tomorrow"), 400,
                "MALFORMED_REQUEST");
        refused("SQL in an id", get("/api/v1/accounts/1%27%20OR%20%271%27=%271"), 404, "NOT_FOUND");
        refused("path traversal in an id", get("/api/v1/users/..%2F..%2Fetc%2Fpasswd"), 400, "MALFORMED_REQUEST");
        refused("a 10 KB query string", get("/api/v1/accounts?filter=" + "a".repeat(10_000)), 400,
                "MALFORMED_REQUEST");
        refused("sort by a hidden column", get("/api/v1/accounts?sort=version;drop,asc"), 400, "MALFORMED_REQUEST");
        refused("NUL in a filter value", get("/api/v1/accounts?filter=name==a%00b"), 400, "INVALID_FILTER");
        refused("a bell in a filter value", get("/api/v1/accounts?filter=externalId==a%07b"), 400, "INVALID_FILTER");
        refused("a right-to-left override in a filter", get("/api/v1/accounts?filter=name==%E2%80%AEgpj.exe"), 400,
                "INVALID_FILTER");
        refused("NUL as the audit actor", get("/api/v1/audit?actor=%00"), 400, "VALIDATION_FAILED");
        refused("a right-to-left mark in the audit type", get("/api/v1/audit?type=AccountCreated%E2%80%8F"), 400,
                "VALIDATION_FAILED");
        refused("a line break in a parameter's name", get("/api/v1/audit?act%0Aor=x"), 400, "MALFORMED_REQUEST");
        refused("a right-to-left mark in a parameter's name", get("/api/v1/audit?actor%E2%80%8F=x"), 400,
                "VALIDATION_FAILED");
        refused("NUL in the sort", get("/api/v1/accounts?sort=name%00,asc"), 400, "VALIDATION_FAILED");
        refused("NUL inside a cursor", get("/api/v1/accounts?sort=name,asc&cursor=" + Base64.getUrlEncoder()
                .encodeToString((UUID.randomUUID() + ":a\u0000b").getBytes(StandardCharsets.UTF_8))), 400,
                "MALFORMED_REQUEST");
        refused("NUL in an account id", get("/api/v1/accounts/%00"), 400, "MALFORMED_REQUEST");
        refused("a right-to-left override in a user id", get("/api/v1/users/%E2%80%AE" + UUID.randomUUID()), 404,
                "NOT_FOUND");
        refused("a bell in a processor's name", get("/api/v1/admin/processors/acc%07ounts"), 404, "NOT_FOUND");
        refused("a bell in a dead letter's id", Http.send(arbor.querySide, "DELETE",
                                                          "/api/v1/admin/dead-letters/accounts/a%07b", null), 404,
                "NOT_FOUND");

        assertThat(failures).isEmpty();
        assertHealthy(arbor.querySide);
    }

    /** No query-side endpoint reads a body; the admin's POSTs, which start work, refuse one rather than ignore it. */
    @Test
    void queryAdminEndpointsRefuseHostileBodiesAndStartNothing() {
        String replay = "/api/v1/admin/processors/accounts/replay";
        long eventsBefore = eventCount();

        refused("body over 64 KiB", postQuery(replay, "\"" + "x".repeat(70_000) + "\""), 413, "PAYLOAD_TOO_LARGE");
        refused("a 10 MB string", postQuery(replay, "\"" + "x".repeat(10 * 1024 * 1024) + "\""), 413,
                "PAYLOAD_TOO_LARGE");
        refused("JSON nested 20,000 deep", postQuery(replay, "[".repeat(20_000) + "]".repeat(20_000)), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        refused("options in a JSON body", postQuery(replay, "{\"from\": \"2026-01-01T00:00:00Z\"}"), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        refused("a wrong content type", Http.send(arbor.querySide, "POST", replay, "from=2026-01-01T00:00:00Z",
                                                   "Content-Type", "application/x-www-form-urlencoded"),
                415, "UNSUPPORTED_MEDIA_TYPE");
        refused("a body to verify", postQuery("/api/v1/admin/verify", "{}"), 415, "UNSUPPORTED_MEDIA_TYPE");
        refused("a replay run dry", Http.send(arbor.querySide, "POST", replay, null, "Arbor-Dry-Run", "true"),
                400, "DRY_RUN_UNSUPPORTED");
        refused("a replay run dry by parameter", Http.send(arbor.querySide, "POST", replay + "?dryRun=true", null),
                400, "DRY_RUN_UNSUPPORTED");
        refused("a misspelt dry run", Http.send(arbor.querySide, "POST", replay, null, "Arbor-Dry-Run", "ture"),
                400, "INVALID_DRY_RUN");

        assertThat(failures).isEmpty();
        assertThat(Http.get(arbor.querySide, "/api/v1/admin/processors/accounts").body().get("replaying").asBoolean())
                .as("no replay was started").isFalse();
        assertThat(eventCount()).as("nothing was written").isEqualTo(eventsBefore);
        assertHealthy(arbor.querySide);
    }

    private void refused(String what, Http.Response response, int status, String code) {
        String mediaType = response.contentType() == null ? null : response.contentType().split(";")[0];
        String got = response.status() + " " + mediaType + " "
                + (response.body() != null && response.body().has("code") ? response.body().get("code").asText() : "");
        String expected = status + " application/problem+json " + code;
        if (!got.equals(expected)) {
            failures.add(what + ": expected " + expected + ", got " + got);
        }
    }

    private Http.Response post(String path, String json) {
        return Http.post(arbor.commandSide, path, json);
    }

    private Http.Response postQuery(String path, String json) {
        return Http.post(arbor.querySide, path, json);
    }

    private Http.Response get(String path) {
        return Http.get(arbor.querySide, path);
    }

    private static String account(String name, String seats) {
        return "{\"name\": " + name + ", \"seats\": " + seats + "}";
    }

    private long eventCount() {
        return arbor.database.sql("SELECT count(*) FROM event_store.domain_event_entry").query(Long.class).single();
    }

    private static void assertHealthy(URI app) {
        assertThat(Http.get(app, "/actuator/health/readiness").status()).isEqualTo(200);
    }
}
