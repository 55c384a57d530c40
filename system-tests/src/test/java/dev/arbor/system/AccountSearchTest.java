package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        assertThat(Pages.ids(read("/api/v1/accounts?includeDeleted=true&filter=" + encode(mine)))).hasSize(4);
        assertThat(Pages.ids(read("/api/v1/accounts?sort=name,desc&filter=" + encode(mine))))
                .containsExactly(org, beta, alpha);
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
     * Keyset paging while another client writes, in a background thread, one command after another: between any
     * two pages at least one write reaches the read model, and more land while pages are read. Children of the
     * organization are created and deleted, one child is renamed back and forth between a name sorting first and
     * one sorting last, another moved between two depths. In children, descendants and searches in every order,
     * each account there throughout whose sort key never changed is seen exactly once and in order; any other
     * account whose key never changed (one created or deleted meanwhile) at most once. A renamed or moved account
     * may be seen at its old place, its new place, both or neither: nothing is asserted of it where its key changed.
     */
    @Test
    void pagesNeitherRepeatNorSkipAnAccountWhoseSortKeyHoldsWhileWritesGoOn() {
        String org = create("/api/v1/accounts", "org", 1000);
        String renamed = create(childrenOf(org), "renamed", 0);
        String mover = create(childrenOf(org), "mover", 0);
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            children.add(create(childrenOf(org), "child-" + i % 3 + "-" + i, i % 4, prefix + "ext-" + (7 - i)));
        }
        List<String> throughout = new ArrayList<>(children);
        throughout.add(create(childrenOf(children.get(0)), "grandchild-0", 0));
        throughout.add(create(childrenOf(children.get(5)), "grandchild-5", 0));
        Set<String> moved = Set.of(mover);
        Set<String> both = Set.of(renamed, mover);
        List<Walk> walks = new ArrayList<>(List.of(
                new Walk(childrenOf(org) + "?limit=3", children, Set.of()),
                new Walk("/api/v1/accounts/" + org + "/descendants?limit=3", throughout, moved),
                new Walk(searchPath("rootId==" + org, "depth,desc"), throughout, moved),
                new Walk(searchPath("parentId==" + org, "name,asc"), children, Set.of(renamed)),
                new Walk(searchPath("parentId==" + org, "name,desc"), children, Set.of(renamed)),
                new Walk(searchPath("parentId==" + org, "updatedAt,asc"), children, both)));
        for (String sort : List.of("id,desc", "seats,desc", "createdAt,desc", "externalId,asc")) {
            walks.add(new Walk(searchPath("parentId==" + org, sort), children, Set.of()));
        }

        Map<Walk, Paged> walked;
        try (Writer writer = new Writer(org, renamed, mover)) {
            walked = pagesWhileWriting(walks, writer);
        }

        walked.forEach((walk, paged) -> {
            List<String> inOrder = Pages.ids(read(walk.path().replace("limit=3", "limit=1000")));
            assertThat(paged.writes()).as("writes of every kind while paging " + walk.path())
                    .isGreaterThanOrEqualTo(Writer.KINDS);
            assertThat(only(walk.throughout(), inOrder)).as(walk.path())
                    .containsExactlyInAnyOrderElementsOf(walk.throughout());
            assertThat(only(walk.throughout(), paged.seen())).as(walk.path())
                    .containsExactlyElementsOf(only(walk.throughout(), inOrder));
            assertThat(paged.seen().stream().filter(id -> !walk.keyChanges().contains(id)).toList())
                    .as(walk.path()).doesNotHaveDuplicates();
        });
    }

    /** A list, the accounts in it all along, and those whose sort key in it the writer changes. */
    private record Walk(String path, List<String> throughout, Set<String> keyChanges) {
    }

    /** What paging through a list saw, and how many writes were answered from before its first page to its last. */
    private record Paged(List<String> seen, long writes) {
    }

    private static List<String> only(List<String> wanted, List<String> ids) {
        return ids.stream().filter(wanted::contains).toList();
    }

    private static String searchPath(String filter, String sort) {
        return "/api/v1/accounts?limit=3&sort=" + sort + "&filter=" + encode(filter);
    }

    /**
     * Pages through all the lists side by side, as many clients would: the next page of each, then the next, each
     * round once a write sent after the previous round has reached the read model.
     */
    private Map<Walk, Paged> pagesWhileWriting(List<Walk> walks, Writer writer) {
        long writesBefore = writer.writes();
        Map<Walk, List<String>> seen = new LinkedHashMap<>();
        Map<Walk, String> cursors = new LinkedHashMap<>();
        Map<Walk, Paged> walked = new LinkedHashMap<>();
        walks.forEach(walk -> {
            seen.put(walk, new ArrayList<>());
            cursors.put(walk, "");
        });
        for (int round = 0; !cursors.isEmpty(); round++) {
            assertThat(round).as("rounds of pages; more means a cursor that does not advance").isLessThan(50);
            long position = writer.nextPosition();
            for (Walk walk : List.copyOf(cursors.keySet())) {
                String cursor = cursors.get(walk);
                JsonNode page = read(walk.path() + (cursor.isEmpty() ? "" : "&cursor=" + cursor), position);
                seen.get(walk).addAll(Pages.ids(page));
                if (page.get("nextCursor").isNull()) {
                    cursors.remove(walk);
                    walked.put(walk, new Paged(seen.get(walk), writer.writes() - writesBefore));
                } else {
                    cursors.put(walk, page.get("nextCursor").asText());
                }
            }
        }
        return walked;
    }

    /**
     * Commands over HTTP from a background thread, one after another until closed, in rounds of {@value #KINDS}:
     * a child of {@code org} created, {@code renamed} renamed (to a name sorting before every other child, then to
     * one sorting after), {@code mover} moved (from {@code org} to under {@code renamed}, then back), and the child
     * created a round before deleted.
     */
    private final class Writer implements AutoCloseable {

        static final int KINDS = 4;

        private final String org;
        private final String renamed;
        private final String mover;
        private final AtomicLong writes = new AtomicLong();
        private final Thread thread = new Thread(this::writeUntilClosed, "paging-writer");
        private volatile long position;
        private volatile boolean open = true;
        private volatile Throwable failure;

        Writer(String org, String renamed, String mover) {
            this.org = org;
            this.renamed = renamed;
            this.mover = mover;
            thread.start();
        }

        long writes() {
            return writes.get();
        }

        /**
         * The position of a write sent after this call (so one the read model has not yet shown to any earlier read):
         * waits for two writes answered after it, the second one sent once the first was answered.
         */
        long nextPosition() {
            long before = writes.get();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                   .until(() -> writes.get() >= before + 2 || failure != null);
            if (failure != null) {
                throw new AssertionError("The writer failed", failure);
            }
            return position;
        }

        private void writeUntilClosed() {
            Deque<String> added = new ArrayDeque<>();
            try {
                added.add(create("child-new", 1, null));
                for (int round = 0; open; round++) {
                    String parent = round % 2 == 0 ? renamed : org;
                    added.add(create("child-" + round % 3 + "-new", round % 4, prefix + "ext-new-" + round));
                    write("PATCH", "/api/v1/accounts/" + renamed,
                          "{\"name\": \"" + prefix + (round % 2 == 0 ? "a" : "z") + " renamed\"}");
                    write("POST", "/api/v1/accounts/" + mover + "/move", "{\"newParentId\": \"" + parent + "\"}");
                    write("DELETE", "/api/v1/accounts/" + added.remove(), null);
                }
            } catch (Throwable failed) {
                failure = failed;
            }
        }

        private JsonNode write(String method, String path, String json) {
            JsonNode done = accepted(method, path, json).body();
            position = done.get("position").asLong();
            writes.incrementAndGet();
            return done;
        }

        private String create(String name, long seats, String externalId) {
            return write("POST", childrenOf(org), account(name, seats, externalId)).get("id").asText();
        }

        @Override
        public void close() {
            open = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failure != null) {
                throw new AssertionError("The writer failed", failure);
            }
        }
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
        return Pages.ids(read("/api/v1/accounts?filter=" + encode(filter)));
    }

    private List<String> allPages(String path) {
        return Pages.allIds(path, this::read);
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
