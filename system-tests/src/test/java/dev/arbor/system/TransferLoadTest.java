package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #27, point 4: the workload that found committed events skipped by the tracking processors
 * (shared/notes/read-model-drift.md), on real processes from the runnable jars on an embedded PostgreSQL of their own.
 * First {@code arbor.load.commands} (1,000) random commands, one after another, over three organizations of 200 seats
 * (child creations, seat transfers both ways, devices, suspensions and their lifting, deletions, reactivations,
 * moves); then {@code arbor.load.threads} (16) clients each sending {@code arbor.load.transfers} (1,500) seat
 * transfers between random parent/child pairs, or for {@code arbor.load.duration} (ISO-8601) when given. After the
 * query side reached the head of the store: every stored event is in the audit log exactly once, {@code verify} is
 * consistent, and every organization still holds its 200 seats with no account below zero free seats. Seeded
 * ({@code arbor.load.seed}, printed). Prints its figures and appends them to {@code target/load-figures.txt}.
 * Long: run by ops/faults ({@code ops/faults --only TransferLoadTest}), not by {@code ./mvnw verify}.
 */
@Tag("fault")
@Tag("long")
class TransferLoadTest {

    private static final int ORGANIZATIONS = 3;
    private static final long SEATS = 200;
    private static final int COMMANDS = Integer.getInteger("arbor.load.commands", 1_000);
    private static final int THREADS = Integer.getInteger("arbor.load.threads", 16);
    private static final int TRANSFERS = Integer.getInteger("arbor.load.transfers", 1_500);
    private static final String DURATION = System.getProperty("arbor.load.duration", "");
    private static final long SEED = Long.getLong("arbor.load.seed", System.nanoTime());
    /** The load may leave a slow machine's projection minutes behind; a skipped event does not hold it back. */
    private static final Duration CATCH_UP = Duration.ofMinutes(10);

    /** One account as the accepted commands left it. */
    private static final class Node {
        final String id;
        final String organization;
        String parent;
        boolean deleted;
        boolean suspended;

        Node(String id, String organization, String parent) {
            this.id = id;
            this.organization = organization;
            this.parent = parent;
        }
    }

    private final List<Node> accounts = new ArrayList<>();
    private final List<String> organizations = new ArrayList<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

    @Test
    void oneCommandNodeAndOneQueryNode() {
        run("1+1", 1, 1);
    }

    @Test
    void twoCommandNodesAndTwoQueryNodes() {
        run("2+2", 2, 2);
    }

    private void run(String setup, int commandNodeCount, int queryNodeCount) {
        System.out.printf("load %s: seed %d (-Darbor.load.seed=%d to repeat)%n", setup, SEED, SEED);
        try (ProcessStack stack = ProcessStack.start("load", EmbeddedDatabase.Durability.THROWAWAY)) {
            String[] commandSettings = commandNodeCount > 1 ? new String[] {ProcessStack.COMMAND_NODE_SETTINGS}
                                                            : new String[0];
            List<URI> commandNodes = new ArrayList<>();
            commandNodes.add(stack.start("command-side", "load-command-1", commandSettings).awaitReady().uri);
            for (int n = 2; n <= commandNodeCount; n++) {
                commandNodes.add(stack.start("command-side", "load-command-" + n, commandSettings).awaitReady().uri);
            }
            List<URI> queryNodes = new ArrayList<>();
            for (int n = 1; n <= queryNodeCount; n++) {
                String name = "load-query-" + n;
                String[] settings = queryNodeCount == 1 ? new String[0]
                        : Stream.concat(Stream.of("--arbor.node-id=" + name),
                                        ProcessStack.QUERY_NODE_SETTINGS.stream()).toArray(String[]::new);
                queryNodes.add(stack.start("query-side", name, settings).awaitReady().uri);
            }
            if (queryNodeCount > 1) {
                // the load runs with the segments shared
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                        () -> List.of("accounts", "audit").forEach(processor -> assertThat(
                                stack.store.segmentsByOwner(processor).keySet()).as(processor)
                                .hasSize(queryNodeCount).doesNotContain("(free)")));
            }

            Instant start = Instant.now();
            Random random = new Random(SEED);
            for (int o = 0; o < ORGANIZATIONS; o++) {
                Http.Response created = Http.post(commandNodes.get(0), "/api/v1/accounts",
                                                  "{\"name\": \"Load " + o + "\", \"seats\": " + SEATS + "}");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                String id = created.body().get("id").asText();
                organizations.add(id);
                accounts.add(new Node(id, id, null));
            }
            for (int c = 0; c < COMMANDS; c++) {
                oneRandomCommand(commandNodes.get(random.nextInt(commandNodes.size())), random);
            }
            Instant commandsDone = Instant.now();
            long transfers = transfers(commandNodes);
            Instant loadDone = Instant.now();

            Duration atHead = stack.store.awaitProjectionsAtHead(queryNodes.get(0), CATCH_UP);
            Figures figures = figures(stack.store, queryNodes.get(0));
            String line = String.format(
                    "load %s: seed %d; %d random commands, %d transfers from %d threads; events appended %d; "
                    + "audit rows %d, events missing %d %s, doubled %s, unknown %s; verify consistent %s, "
                    + "auditLog %s, mismatches %d; seats per organization %s, accounts with negative free seats %s; "
                    + "commands %d s, transfers %d s, at head %d s after the load, total %d s; answers %s",
                    setup, SEED, COMMANDS, transfers, THREADS, figures.events, figures.auditRows,
                    figures.missing.size(), figures.missing, figures.doubled, figures.unknown, figures.consistent,
                    figures.auditLog, figures.mismatches, figures.seats, figures.negativeFree,
                    Duration.between(start, commandsDone).toSeconds(),
                    Duration.between(commandsDone, loadDone).toSeconds(), atHead.toSeconds(),
                    Duration.between(start, Instant.now()).toSeconds(), new TreeMap<>(answers));
            System.out.println(line);
            append(line);

            assertThat(answers.keySet()).as("answers other than a success or a rule's refusal")
                                        .allMatch(answer -> answer.matches("\\S+ (200|201|409 \\S+|403 ACCOUNT_SUSPENDED)"));
            assertThat(figures.missing).as("events missing from the audit log").isEmpty();
            assertThat(figures.doubled).as("events in the audit log more than once").isEmpty();
            assertThat(figures.unknown).as("audit rows of no stored event").isEmpty();
            assertThat(figures.auditRows).isEqualTo(figures.events);
            assertThat(figures.auditLog.get("missing").asLong()).as(figures.auditLog.toString()).isZero();
            assertThat(figures.consistent).as(figures.report.toString()).isTrue();
            assertThat(figures.eventsFolded).isEqualTo(figures.events);
            assertThat(figures.seats).as("seats per organization").allSatisfy(
                    (organization, seats) -> assertThat(seats).as(organization).isEqualTo(SEATS));
            assertThat(figures.negativeFree).as("accounts with negative free seats").isEmpty();
        }
    }

    private record Figures(long events, long auditRows, List<String> missing, List<Long> doubled, List<Long> unknown,
                           boolean consistent, long eventsFolded, JsonNode auditLog, int mismatches,
                           JsonNode report, Map<String, Long> seats, List<String> negativeFree) {
    }

    private Figures figures(StoreChecks store, URI querySide) {
        List<String> missing = store.sql.sql("""
                SELECT e.global_index || ' ' || e.payload_type FROM event_store.domain_event_entry e
                 WHERE NOT EXISTS (SELECT 1 FROM read_model.audit_log a WHERE a.position = e.global_index)
                 ORDER BY e.global_index""").query(String.class).list();
        List<Long> doubled = store.sql.sql("""
                SELECT position FROM read_model.audit_log GROUP BY position HAVING count(*) > 1
                UNION SELECT min(position) FROM read_model.audit_log GROUP BY aggregate_id, sequence
                HAVING count(*) > 1 ORDER BY 1""").query(Long.class).list();
        List<Long> unknown = store.sql.sql("""
                SELECT a.position FROM read_model.audit_log a
                 WHERE NOT EXISTS (SELECT 1 FROM event_store.domain_event_entry e
                                    WHERE e.global_index = a.position AND e.aggregate_identifier = a.aggregate_id
                                      AND e.sequence_number = a.sequence) ORDER BY 1""").query(Long.class).list();
        JsonNode report = store.verifyThroughHead(querySide);
        Map<String, Long> seats = store.seatsByOrganization(organizations);
        List<String> negativeFree = store.accountsWithNegativeFreeSeats();
        return new Figures(store.count("event_store.domain_event_entry"), store.count("read_model.audit_log"),
                           missing, doubled, unknown, report.get("consistent").asBoolean(),
                           report.get("eventsFolded").asLong(), report.get("auditLog"),
                           report.get("mismatches").size(), report, seats, negativeFree);
    }

    /** Phase 2: every thread sends seat transfers between random live parent/child pairs; answers how many. */
    private long transfers(List<URI> commandNodes) {
        List<String[]> pairs = accounts.stream().filter(node -> node.parent != null && !node.deleted)
                                       .map(node -> new String[] {node.parent, node.id}).toList();
        assertThat(pairs).as("parent/child pairs after the random commands").isNotEmpty();
        Instant end = DURATION.isEmpty() ? null : Instant.now().plus(Duration.parse(DURATION));
        AtomicLong sent = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            URI node = commandNodes.get(t % commandNodes.size());
            Random random = new Random(SEED + 1 + t);
            running.add(threads.submit(() -> {
                for (int i = 0; end == null ? i < TRANSFERS : Instant.now().isBefore(end); i++) {
                    String[] pair = pairs.get(random.nextInt(pairs.size()));
                    boolean down = random.nextBoolean();
                    answer("transfer", Http.post(node, "/api/v1/accounts/" + pair[down ? 0 : 1] + "/seat-transfers",
                                                 "{\"to\": \"" + pair[down ? 1 : 0] + "\", \"seats\": "
                                                 + (1 + random.nextInt(3)) + "}"));
                    sent.incrementAndGet();
                }
            }));
        }
        threads.shutdown();
        for (Future<?> thread : running) {
            try {
                thread.get();
            } catch (Exception failed) {
                throw new IllegalStateException("A transfer thread failed", failed);
            }
        }
        return sent.get();
    }

    /** Phase 1: one random command on a random account, its effect booked in {@link #accounts} when accepted. */
    private void oneRandomCommand(URI node, Random random) {
        Node account = accounts.get(random.nextInt(accounts.size()));
        List<Node> sameTree = accounts.stream().filter(other -> other.organization.equals(account.organization))
                                      .toList();
        int choice = random.nextInt(100);
        if (choice < 22) {
            Http.Response created = answer("create-child", Http.post(
                    node, "/api/v1/accounts/" + account.id + "/children",
                    "{\"name\": \"Child " + accounts.size() + "\", \"seats\": " + random.nextInt(6) + "}"));
            if (created.status() == 201) {
                accounts.add(new Node(created.body().get("id").asText(), account.organization, account.id));
            }
        } else if (account.parent == null || choice < 50) {
            // a transfer both ways between the account and its parent, or (for a root) one of its children
            Node child = account;
            if (account.parent == null) {
                List<Node> children = sameTree.stream().filter(other -> account.id.equals(other.parent)).toList();
                if (children.isEmpty()) {
                    return;
                }
                child = children.get(random.nextInt(children.size()));
            }
            boolean down = random.nextBoolean();
            answer("transfer", Http.post(node, "/api/v1/accounts/" + (down ? child.parent : child.id)
                                               + "/seat-transfers", "{\"to\": \"" + (down ? child.id : child.parent)
                                                                    + "\", \"seats\": " + (1 + random.nextInt(5)) + "}"));
        } else if (choice < 62) {
            answer("register-device", Http.post(node, "/api/v1/accounts/" + account.id + "/devices",
                                                "{\"serial\": \"SN-" + SEED + "-" + random.nextLong()
                                                + "\", \"name\": \"Sensor\"}"));
        } else if (choice < 72) {
            String action = account.suspended ? "unsuspend" : "suspend";
            if (answer(action, Http.post(node, "/api/v1/accounts/" + account.id + "/" + action,
                                         account.suspended ? null : "{\"reason\": \"load\"}")).status() == 200) {
                account.suspended = !account.suspended;
            }
        } else if (choice < 86) {
            if (account.deleted) {
                if (answer("reactivate", Http.post(node, "/api/v1/accounts/" + account.id + "/reactivate",
                                                   "{\"seats\": " + random.nextInt(3) + "}")).status() == 200) {
                    account.deleted = false;
                }
            } else if (answer("delete", Http.send(node, "DELETE", "/api/v1/accounts/" + account.id, null))
                               .status() == 200) {
                account.deleted = true;
            }
        } else {
            Node newParent = sameTree.get(random.nextInt(sameTree.size()));
            if (answer("move", Http.post(node, "/api/v1/accounts/" + account.id + "/move",
                                         "{\"newParentId\": \"" + newParent.id + "\"}")).status() == 200) {
                account.parent = newParent.id;
            }
        }
    }

    /** Counts the answer as "command status[ code]", and hands it back. */
    private Http.Response answer(String command, Http.Response response) {
        String code = response.body() == null ? null : response.body().path("code").asText(null);
        answers.computeIfAbsent(String.join(" ", Stream.of(command, Integer.toString(response.status()), code)
                                                       .filter(Objects::nonNull).toList()),
                                key -> new AtomicLong()).incrementAndGet();
        return response;
    }

    private static void append(String line) {
        try {
            Files.writeString(Path.of("target", "load-figures.txt"), Instant.now() + " " + line + "\n",
                              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
