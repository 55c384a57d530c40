package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Searching accounts with RSQL filters, sorting and paging; hostile filters are refused and harm nothing. */
class AccountSearchTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final String prefix = "srch-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private long lastPosition;

    @Test
    void findsAccountsByFilter() {
        String org = create("/api/v1/accounts", "org", 10);
        String alpha = create("/api/v1/accounts/" + org + "/children", "alpha", 5);
        String beta = create("/api/v1/accounts/" + org + "/children", "beta", 1);
        String gamma = create("/api/v1/accounts/" + org + "/children", "gamma", 0);
        command("DELETE", "/api/v1/accounts/" + gamma);
        String mine = "name=like=" + prefix + "*";

        assertThat(search(mine)).containsExactly(org, alpha, beta);
        assertThat(search("name=like=" + prefix.toUpperCase(Locale.ROOT) + "*")).as("case-insensitive")
                .containsExactly(org, alpha, beta);
        assertThat(search(mine + ";depth==1")).containsExactly(alpha, beta);
        assertThat(search(mine + ";seats=ge=5")).containsExactly(alpha);
        assertThat(search(mine + ";status==DELETED")).containsExactly(gamma);
        assertThat(search(mine + ",name==nobody")).containsExactly(org, alpha, beta);
        assertThat(search(mine + ";parentId==" + org + ";seats=lt=5")).containsExactly(beta);
        assertThat(ids(read("/api/v1/accounts?includeDeleted=true&filter=" + encode(mine)))).hasSize(4);
        assertThat(ids(read("/api/v1/accounts?sort=name,desc&filter=" + encode(mine)))).containsExactly(org, beta, alpha);
        assertThat(allPages("/api/v1/accounts?limit=1&filter=" + encode(mine))).containsExactly(org, alpha, beta);
        assertThat(allPages("/api/v1/accounts?limit=2&sort=seats,desc&filter=" + encode(mine)))
                .containsExactly(alpha, org, beta);

        command("POST", "/api/v1/accounts/" + org + "/suspend");
        assertThat(search(mine + ";effectiveStatus==SUSPENDED")).containsExactly(org, alpha, beta);
        assertThat(search(mine + ";effectiveStatus==ACTIVE")).isEmpty();
    }

    /** Each field of the filter with an operator that fits it, finding what it must and nothing else. */
    @Test
    void findsAccountsByEveryField() {
        String org = create("/api/v1/accounts", "org", 20);
        String alpha = create(childrenOf(org), "alpha", 5, prefix + "crm-1");
        String beta = create(childrenOf(org), "beta", 2, prefix + "crm-2");
        String beta1 = create(childrenOf(beta), "beta1", 0);
        String gamma = create(childrenOf(org), "gamma", 0);
        String other = create("/api/v1/accounts", "other", 3, prefix + "erp-1");
        command("DELETE", "/api/v1/accounts/" + gamma);
        command("POST", "/api/v1/accounts/" + beta + "/suspend");
        String mine = "name=like=" + prefix + "*";

        assertThat(search(mine + ";rootId==" + org)).containsExactly(org, alpha, beta, beta1);
        assertThat(search(mine + ";parentId==" + org)).containsExactly(alpha, beta);
        assertThat(search("externalId=like=" + prefix + "crm*")).containsExactly(alpha, beta);
        assertThat(search(mine + ";status==ACTIVE")).as("under a suspended account, still ACTIVE itself")
                .containsExactly(org, alpha, beta1, other);
        assertThat(search(mine + ";status=in=(ACTIVE,SUSPENDED)")).containsExactly(org, alpha, beta, beta1, other);
        assertThat(search(mine + ";depth=le=1")).containsExactly(org, alpha, beta, other);
        assertThat(search(mine + ";seats=ge=5")).as("org kept 13 of its 20").containsExactly(org, alpha);

        String betaCreated = read("/api/v1/accounts/" + beta).get("createdAt").asText();
        assertThat(search(mine + ";createdAt=ge=" + betaCreated)).containsExactly(beta, beta1, other);
        String orgDay = read("/api/v1/accounts/" + org).get("createdAt").asText().substring(0, 10);
        assertThat(search(mine + ";createdAt=ge=" + orgDay)).containsExactly(org, alpha, beta, beta1, other);
        assertThat(search(mine + ";createdAt=lt=" + orgDay)).isEmpty();

        List<String> updated = new ArrayList<>();
        read("/api/v1/accounts?includeDeleted=true&filter=" + encode(mine)).get("items")
                .forEach(view -> updated.add(view.get("updatedAt").asText()));
        String lastUpdate = updated.stream().max(Comparator.comparing(Instant::parse)).orElseThrow();
        command("PATCH", "/api/v1/accounts/" + alpha, "{\"name\": \"" + prefix + "alpha renamed\"}");
        assertThat(search(mine + ";updatedAt=gt=" + lastUpdate)).containsExactly(alpha);
    }

    /**
     * Keyset paging in every order: accounts added and deleted between pages make no page repeat an account or skip
     * one that was there throughout.
     */
    @Test
    void pagesNeitherRepeatNorSkipWhileAccountsComeAndGo() {
        String org = create("/api/v1/accounts", "org", 1000);
        List<String> throughout = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            throughout.add(create("/api/v1/accounts/" + org + "/children", "child-" + (i % 3) + "-" + i, i % 4));
        }
        String children = "/api/v1/accounts?limit=3&filter=" + encode("parentId==" + org);
        for (String sort : List.of("name,asc", "seats,desc", "createdAt,desc", "externalId,asc", "id,desc")) {
            List<String> seen = pagesWhileWriting(children + "&sort=" + sort, org);
            assertThat(seen).as(sort).doesNotHaveDuplicates().containsAll(throughout);
            assertThat(seen.stream().filter(throughout::contains).toList()).as(sort)
                    .containsExactlyElementsOf(ids(read(children.replace("limit=3", "limit=1000") + "&sort=" + sort))
                                                       .stream().filter(throughout::contains).toList());
        }
        assertThat(pagesWhileWriting("/api/v1/accounts/" + org + "/children?limit=3", org))
                .doesNotHaveDuplicates().containsAll(throughout);
    }

    /** Reads every page, and before each next one adds an account and deletes one added earlier. */
    private List<String> pagesWhileWriting(String path, String parent) {
        List<String> seen = new ArrayList<>();
        List<String> added = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = read(path + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(ids(page));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            added.add(create("/api/v1/accounts/" + parent + "/children", "child-" + added.size() % 3 + "-new", 1));
            if (added.size() > 1) {
                command("DELETE", "/api/v1/accounts/" + added.remove(0));
            }
        } while (cursor != null);
        return seen;
    }

    @Test
    void refusesFiltersItCannotApplyAndNeverRunsThemAsSql() {
        assertInvalid("name=like=", "not RSQL");
        assertInvalid("nope==1", "unknown field 'nope'");
        assertInvalid("depth=like=1", "does not apply to 'depth'");
        assertInvalid("createdAt=ge=yesterday", "not a valid value for 'createdAt'");
        assertInvalid("status==ZOMBIE", "not a valid value for 'status'");

        Http.Response injection = Http.get(arbor.querySide, "/api/v1/accounts?filter="
                + encode("name==\"x'; DROP TABLE read_model.account; --\""));
        assertThat(injection.status()).isEqualTo(200);
        assertThat(injection.body().get("items")).isEmpty();
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts?limit=1").status()).isEqualTo(200);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts?sort=password,asc").status()).isEqualTo(400);
        create("/api/v1/accounts", "first", 0);
        create("/api/v1/accounts", "second", 0);
        String nameCursor = read("/api/v1/accounts?limit=1&sort=name,asc").get("nextCursor").asText();
        Http.Response otherOrder = Http.get(arbor.querySide, "/api/v1/accounts?sort=seats,asc&cursor=" + nameCursor);
        assertThat(otherOrder.status()).isEqualTo(400);
        assertThat(otherOrder.body().get("code").asText()).isEqualTo("MALFORMED_REQUEST");
    }

    private void assertInvalid(String filter, String problem) {
        Http.Response response = Http.get(arbor.querySide, "/api/v1/accounts?filter=" + encode(filter));
        assertThat(response.status()).as(filter).isEqualTo(400);
        assertThat(response.body().get("code").asText()).isEqualTo("INVALID_FILTER");
        assertThat(response.body().get("detail").asText()).contains(problem);
    }

    private List<String> search(String filter) {
        return ids(read("/api/v1/accounts?filter=" + encode(filter)));
    }

    private List<String> allPages(String path) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = read(path + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(ids(page));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return seen;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private String create(String path, String name, long seats) {
        return create(path, name, seats, null);
    }

    private String create(String path, String name, long seats, String externalId) {
        Http.Response created = accepted("POST", path, account(name, seats, externalId));
        lastPosition = created.body().get("position").asLong();
        return created.body().get("id").asText();
    }

    /** A new account's body; its name starts with this test's prefix. */
    private String account(String name, long seats, String externalId) {
        return "{\"name\": \"" + prefix + name + "\", \"seats\": " + seats
                + (externalId == null ? "" : ", \"externalId\": \"" + externalId + "\"") + "}";
    }

    private static String childrenOf(String parent) {
        return "/api/v1/accounts/" + parent + "/children";
    }

    private void command(String method, String path) {
        command(method, path, null);
    }

    private void command(String method, String path, String json) {
        lastPosition = accepted(method, path, json).body().get("position").asLong();
    }

    /** Sends a command and checks that it was accepted (200, or 201 for a creation). */
    private Http.Response accepted(String method, String path, String json) {
        Http.Response done = Http.send(arbor.commandSide, method, path, json);
        assertThat(done.status()).as(method + " " + path).isBetween(200, 201);
        return done;
    }

    private JsonNode read(String path) {
        return read(path, lastPosition);
    }

    private JsonNode read(String path, long position) {
        Http.Response response = Http.getAfter(arbor.querySide, path, position, 5_000);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.stale()).isFalse();
        return response.body();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
