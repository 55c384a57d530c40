package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #7: two command nodes and two query nodes, each a real process from its runnable jar, on one PostgreSQL of
 * their own (not the test JVM's shared one, whose in-process query side would be a third node). The steps build on
 * each other and run in order: the query nodes share the segments, concurrent commands at both command nodes break
 * no rule and are projected exactly once, and the survivor of a killed query node takes its segments over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeTest {

    private static final List<String> PROCESSORS = List.of("accounts", "audit");
    private static final int SEGMENTS = 4;
    private static final long GRANTED_SEATS = 400;
    private static final long FIRST_CHILD_SEATS = 20;
    /**
     * The refusals concurrent commands on fresh state can meet: too few seats when the command ran, or a conflict that
     * outlasted the retries. Anything else (NOT_PARENT_OR_CHILD, say) was decided on stale state.
     */
    private static final List<String> GENUINE_CONFLICTS = List.of("INSUFFICIENT_SEATS", "CONCURRENT_MODIFICATION");
    /** Longer than the 10 s claim timeout plus a claim interval and a slow machine's pauses. */
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(40);
    /** How long a read-your-writes read may wait: long enough to measure the slow path, not to pass on it. */
    private static final Duration LONGEST_READ = Duration.ofSeconds(15);
    /** A read of a write on any query node is answered within this; before issue 23's fix, up to 5 s and more. */
    private static final Duration READ_AT_ONCE = Duration.ofMillis(1_500);

    private static ProcessStack stack;
    private static StoreChecks store;
    private static List<URI> commandNodes;
    private static ArborProcess survivor;
    private static ArborProcess victim;
    private static String organization;
    private static String firstChild;
    private static ConcurrentCommands commands;

    @BeforeAll
    static void startTwoCommandNodesAndOneQueryNode() {
        stack = ProcessStack.start("multi-node", EmbeddedDatabase.Durability.THROWAWAY);
        store = stack.store;
        // The first command node alone: its migrations create the event store every other node needs.
        ArborProcess firstCommandNode = stack.start("command-side", "command-1", ProcessStack.COMMAND_NODE_SETTINGS)
                                             .awaitReady();
        CompletableFuture<ArborProcess> secondCommandNode = stack.startAsync("command-side", "command-2",
                                                                             ProcessStack.COMMAND_NODE_SETTINGS);
        survivor = startQueryNode("query-1").awaitReady();
        commandNodes = List.of(firstCommandNode.uri, secondCommandNode.join().uri);
    }

    @AfterAll
    static void killEveryProcess() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aSecondQueryNodeGetsItsFairShareOfEverySegmentedProcessor() {
        awaitSegmentOwners(Duration.ofSeconds(30), Map.of("query-1", SEGMENTS));
        victim = startQueryNode("query-2").awaitReady();

        Duration shared = awaitSegmentOwners(Duration.ofSeconds(30), Map.of("query-1", SEGMENTS / 2,
                                                                            "query-2", SEGMENTS / 2));
        System.out.printf("multi-node: segments shared 2:2 %d ms after the second query node was ready%n",
                          shared.toMillis());
    }

    /**
     * Issue 23: a write is read on either query node at once, however the segments are shared. Each query node reads
     * the segments the other holds from their stored tokens; three of the four segments only pass over a write of one
     * organization, and Axon stored such a segment's token only at its next claim extension, at most one every 5 s.
     * Two writes, the second as soon as the first was read on both nodes: with that rule no segment could store its
     * token within the bound after both, so the test cannot pass by a lucky phase of the claim extensions.
     */
    @Test
    @Order(2)
    void aWriteIsReadOnEitherQueryNodeWithinASecondAndVerifiedThroughIt() {
        List<ArborProcess> queryNodes = List.of(survivor, victim);
        Map<String, List<Long>> millisByNode = new TreeMap<>();
        long position = -1;
        for (int write = 0; write < 2; write++) {
            Http.Response created = Http.post(commandNodes.get(write), "/api/v1/accounts",
                                              "{\"name\": \"Read at once " + write + "\", \"seats\": 1}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            long committed = System.nanoTime();
            long written = created.body().get("position").asLong();
            // the audit log's read waits for both processors, the read model's and the audit log's
            String path = "/api/v1/audit?accountId=" + created.body().get("id").asText();
            // both nodes at once, so that the two writes' reads fall within a few seconds of each other
            List<CompletableFuture<Duration>> reads = queryNodes.stream().map(node -> CompletableFuture.supplyAsync(
                    () -> {
                        Http.Response read = Http.getAfter(node.uri, path, written, LONGEST_READ.toMillis());
                        assertThat(read.status()).as(node.name + " " + read).isEqualTo(200);
                        assertThat(read.stale()).as(node.name + " stale").isFalse();
                        return Duration.ofNanos(System.nanoTime() - committed);
                    })).toList();
            for (int node = 0; node < queryNodes.size(); node++) {
                millisByNode.computeIfAbsent(queryNodes.get(node).name, name -> new ArrayList<>())
                            .add(reads.get(node).join().toMillis());
            }
            position = written;
        }
        System.out.println("multi-node: ms from a command's answer to read-your-writes on each query node "
                           + millisByNode);
        assertThat(millisByNode.values()).allSatisfy(millis -> assertThat(millis).allSatisfy(
                read -> assertThat(read).isLessThan(READ_AT_ONCE.toMillis())));

        // read on both nodes: every segment of both processors has stored its token past the write, and verify checks through it
        Http.Response verification = Http.post(survivor.uri, "/api/v1/admin/verify", null);
        assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
        assertThat(verification.body().get("consistent").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.body().get("auditLog").get("checkedThrough").asLong())
                .as(() -> "the audit log checked through, with the stored tokens " + store.tokens())
                .isGreaterThanOrEqualTo(position);
    }

    @Test
    @Order(3)
    void concurrentCommandsAtBothCommandNodesBreakNoRule() {
        createOrganizationWithAChild();
        // the organization's node learns of the child another node added: a stale aggregate would refuse it
        ConcurrentCommands.Outcome transfer = commands.transferSeats(commandNodes.get(0), organization, firstChild, 1);
        assertThat(transfer.status()).as(transfer.toString()).isEqualTo(200);
        commands.run(commandNodes, 2, 25);

        List<ConcurrentCommands.Outcome> outcomes = commands.outcomes();
        System.out.println("multi-node: answers " + tally(outcomes));
        assertThat(outcomes).filteredOn(ConcurrentCommands.Outcome::succeeded).hasSizeGreaterThan(20);
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.status()).as(outcome.toString()).isIn(200, 201, 409);
            if (outcome.status() == 409) {
                assertThat(outcome.contentType()).as(outcome.toString()).startsWith("application/problem+json");
                assertThat(outcome.code()).as(outcome.toString()).isIn(GENUINE_CONFLICTS);
            }
        });
        store.assertEveryAcceptedCommandsEventIsStored(outcomes);

        store.awaitReadModelSeats(organization, commands.expectedSeats());
        store.awaitSeatsConserved(organization, GRANTED_SEATS);
    }

    @Test
    @Order(4)
    void everyEventIsProjectedExactlyOnceAcrossBothQueryNodes() {
        // the load ran with the segments shared, and left them so
        PROCESSORS.forEach(processor -> assertThat(store.segmentsByOwner(processor)).as(processor)
                .isEqualTo(Map.of("query-1", SEGMENTS / 2, "query-2", SEGMENTS / 2)));
        store.awaitEveryEventInTheAuditLogOnce();
        store.assertReadModelMatchesTheEvents(survivor.uri);
    }

    @Test
    @Order(5)
    void theSurvivorOfAKilledQueryNodeTakesOverItsSegmentsAndProjectsNewEvents() {
        victim.kill();
        Instant killed = Instant.now();
        long acceptedBefore = accepted();
        commands.run(commandNodes, 1, 10);
        assertThat(accepted()).as("commands accepted after the kill").isGreaterThan(acceptedBefore);

        awaitSegmentOwners(TAKEOVER_TIMEOUT, Map.of("query-1", SEGMENTS));
        System.out.printf("multi-node: the survivor held every segment %d ms after the kill%n",
                          Duration.between(killed, Instant.now()).toMillis());
        Map<String, ConcurrentCommands.Seats> expected = commands.expectedSeats();
        store.awaitReadModelSeats(organization, expected);
        JsonNode organizationSeats = Http.get(survivor.uri, "/api/v1/accounts/" + organization).body().get("seats");
        assertThat(organizationSeats.get("total").asLong()).isEqualTo(expected.get(organization).total());
        store.awaitEveryEventInTheAuditLogOnce();
        store.assertReadModelMatchesTheEvents(survivor.uri);
    }

    /** How many answers of each kind, e.g. "seat-transfer 409 INSUFFICIENT_SEATS=5". */
    private static Map<String, Long> tally(List<ConcurrentCommands.Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(
                outcome -> String.join(" ", outcome.command(), Integer.toString(outcome.status()),
                                       Objects.toString(outcome.code(), "")).trim(),
                TreeMap::new, Collectors.counting()));
    }

    private static long accepted() {
        return commands.outcomes().stream().filter(ConcurrentCommands.Outcome::succeeded).count();
    }

    /** Query nodes are named, so that token owners read as the test's names rather than pid@host. */
    private static ArborProcess startQueryNode(String name) {
        return stack.start("query-side", name, Stream.concat(Stream.of("--arbor.node-id=" + name),
                                                             ProcessStack.QUERY_NODE_SETTINGS.stream())
                                                     .toArray(String[]::new));
    }

    private void createOrganizationWithAChild() {
        commands = ConcurrentCommands.onNewOrganization(commandNodes.get(0), commandNodes.get(1), "Multi-node",
                                                        GRANTED_SEATS, FIRST_CHILD_SEATS);
        organization = commands.organization;
        firstChild = commands.child;
    }

    /** Waits until the processors' segments are held as {@code expected} (owner: count); answers how long it took. */
    private static Duration awaitSegmentOwners(Duration timeout, Map<String, Integer> expected) {
        Instant start = Instant.now();
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> PROCESSORS.forEach(
                processor -> assertThat(store.segmentsByOwner(processor)).as(processor).isEqualTo(expected)));
        return Duration.between(start, Instant.now());
    }
}
