package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    /** Short intervals so that segments move within seconds; Axon's claim timeout stays at its 10 s default. */
    private static final List<String> QUERY_NODE_SETTINGS = List.of("--arbor.token-claim-interval-ms=500",
                                                                    "--arbor.segment-balancing.interval=500ms",
                                                                    "--arbor.segment-balancing.node-timeout=3s");
    /** As docs/operations.md says to run several command nodes without a routing command bus. */
    private static final String COMMAND_NODE_SETTINGS = "--arbor.aggregate-cache=false";
    /**
     * The refusals concurrent commands on fresh state can meet: too few seats when the command ran, or a conflict that
     * outlasted the retries. Anything else (NOT_PARENT_OR_CHILD, say) was decided on stale state.
     */
    private static final List<String> GENUINE_CONFLICTS = List.of("INSUFFICIENT_SEATS", "CONCURRENT_MODIFICATION");
    /** Longer than the 10 s claim timeout plus a claim interval and a slow machine's pauses. */
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(40);

    private static final List<ArborProcess> processes = new CopyOnWriteArrayList<>();
    private static EmbeddedDatabase database;
    private static JdbcClient sql;
    private static List<URI> commandNodes;
    private static ArborProcess survivor;
    private static ArborProcess victim;
    private static String organization;
    private static String firstChild;
    private static ConcurrentCommands commands;

    @BeforeAll
    static void startTwoCommandNodesAndOneQueryNode() throws IOException {
        database = EmbeddedDatabase.start(Files.createTempDirectory("arbor-multi-node-postgres"), 0,
                                          EmbeddedDatabase.Durability.THROWAWAY);
        sql = JdbcClient.create(new DriverManagerDataSource(database.jdbcUrl(), EmbeddedDatabase.USER,
                                                            EmbeddedDatabase.PASSWORD));
        // The first command node alone: its migrations create the event store every other node needs.
        ArborProcess firstCommandNode = start("command-side", "command-1", COMMAND_NODE_SETTINGS).awaitReady();
        CompletableFuture<ArborProcess> secondCommandNode = startAsync("command-side", "command-2",
                                                                       COMMAND_NODE_SETTINGS);
        survivor = startQueryNode("query-1").awaitReady();
        commandNodes = List.of(firstCommandNode.uri, secondCommandNode.join().uri);
    }

    @AfterAll
    static void killEveryProcess() {
        processes.forEach(ArborProcess::kill);
        if (database != null) {
            database.close();
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

    @Test
    @Order(2)
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
        assertEveryAcceptedCommandsEventIsStored();

        Map<String, ConcurrentCommands.Seats> readModel = awaitReadModelSeats(commands.expectedSeats());
        assertThat(readModel.values().stream().mapToLong(ConcurrentCommands.Seats::total).sum())
                .as("seats in the organization").isEqualTo(GRANTED_SEATS);
        assertThat(readModel).allSatisfy((account, seats) -> assertThat(seats.total() - seats.used())
                .as("free seats of " + account).isNotNegative());
    }

    @Test
    @Order(3)
    void everyEventIsProjectedExactlyOnceAcrossBothQueryNodes() {
        // the load ran with the segments shared, and left them so
        PROCESSORS.forEach(processor -> assertThat(segmentsByOwner(processor)).as(processor)
                .isEqualTo(Map.of("query-1", SEGMENTS / 2, "query-2", SEGMENTS / 2)));
        awaitEveryEventInTheAuditLogOnce();
        assertReadModelMatchesTheEvents(survivor.uri);
    }

    @Test
    @Order(4)
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
        awaitReadModelSeats(expected);
        JsonNode organizationSeats = Http.get(survivor.uri, "/api/v1/accounts/" + organization).body().get("seats");
        assertThat(organizationSeats.get("total").asLong()).isEqualTo(expected.get(organization).total());
        awaitEveryEventInTheAuditLogOnce();
        assertReadModelMatchesTheEvents(survivor.uri);
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

    private static ArborProcess start(String module, String name, String... arguments) {
        ArborProcess process = ArborProcess.start(module, name, database.jdbcUrl(), TestTokens.keyFile().getParent(),
                                                  arguments);
        processes.add(process);
        return process;
    }

    private static CompletableFuture<ArborProcess> startAsync(String module, String name, String... arguments) {
        ArborProcess process = start(module, name, arguments);
        return CompletableFuture.supplyAsync(process::awaitReady);
    }

    /** Query nodes are named, so that token owners read as the test's names rather than pid@host. */
    private static ArborProcess startQueryNode(String name) {
        return start("query-side", name, Stream.concat(Stream.of("--arbor.node-id=" + name),
                                                       QUERY_NODE_SETTINGS.stream()).toArray(String[]::new));
    }

    private void createOrganizationWithAChild() {
        Http.Response root = Http.post(commandNodes.get(0), "/api/v1/accounts",
                                       "{\"name\": \"Multi-node Corp\", \"seats\": " + GRANTED_SEATS + "}");
        assertThat(root.status()).isEqualTo(201);
        organization = root.body().get("id").asText();
        Http.Response child = Http.post(commandNodes.get(1), "/api/v1/accounts/" + organization + "/children",
                                        "{\"name\": \"Multi-node EU\", \"seats\": " + FIRST_CHILD_SEATS + "}");
        assertThat(child.status()).isEqualTo(201);
        firstChild = child.body().get("id").asText();
        commands = new ConcurrentCommands(organization, GRANTED_SEATS - FIRST_CHILD_SEATS, firstChild,
                                          FIRST_CHILD_SEATS);
    }

    /** Waits until the processors' segments are held as {@code expected} (owner: count); answers how long it took. */
    private static Duration awaitSegmentOwners(Duration timeout, Map<String, Integer> expected) {
        Instant start = Instant.now();
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> PROCESSORS.forEach(
                processor -> assertThat(segmentsByOwner(processor)).as(processor).isEqualTo(expected)));
        return Duration.between(start, Instant.now());
    }

    private static Map<String, Integer> segmentsByOwner(String processor) {
        return sql.sql("""
                       SELECT coalesce(owner, '(free)') AS owner, count(*) AS segments FROM read_model.token_entry
                        WHERE processor_name = ? GROUP BY owner""")
                  .param(processor)
                  .query((rs, row) -> Map.entry(rs.getString("owner"), rs.getInt("segments"))).list().stream()
                  .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static void assertEveryAcceptedCommandsEventIsStored() {
        List<Long> positions = commands.outcomes().stream().filter(ConcurrentCommands.Outcome::succeeded)
                                       .map(ConcurrentCommands.Outcome::position).toList();
        List<Long> stored = sql.sql("SELECT global_index FROM event_store.domain_event_entry WHERE global_index = ANY(?)")
                               .param(positions.toArray(Long[]::new)).query(Long.class).list();
        assertThat(stored).as("events of accepted commands").containsExactlyInAnyOrderElementsOf(positions);
    }

    /** Waits until the read model's seats of the organization's accounts are those the accepted commands imply. */
    private static Map<String, ConcurrentCommands.Seats> awaitReadModelSeats(
            Map<String, ConcurrentCommands.Seats> expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(readModelSeats()).isEqualTo(expected));
        return readModelSeats();
    }

    private static Map<String, ConcurrentCommands.Seats> readModelSeats() {
        return sql.sql("SELECT id, seats_total, seats_used FROM read_model.account WHERE root_id = ?::uuid")
                  .param(organization)
                  .query((rs, row) -> Map.entry(rs.getString("id"), new ConcurrentCommands.Seats(
                          rs.getLong("seats_total"), rs.getLong("seats_used")))).list().stream()
                  .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** One audit row per stored event: none missing (a positions' diff), none extra (equal counts). */
    private static void awaitEveryEventInTheAuditLogOnce() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sql.sql("""
                               SELECT e.global_index FROM event_store.domain_event_entry e
                                 LEFT JOIN read_model.audit_log a ON a.position = e.global_index
                                WHERE a.position IS NULL""").query(Long.class).list())
                    .as("events missing from the audit log").isEmpty();
            assertThat(count("read_model.audit_log")).isEqualTo(count("event_store.domain_event_entry"));
        });
    }

    private static long count(String table) {
        return sql.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    /** The query side's own check: the read model equals a fold of every stored event. */
    private static void assertReadModelMatchesTheEvents(URI querySide) {
        Http.Response verification = Http.post(querySide, "/api/v1/admin/verify", null);
        assertThat(verification.status()).isEqualTo(200);
        JsonNode report = verification.body();
        assertThat(report.get("consistent").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("eventsFolded").asLong()).isEqualTo(count("event_store.domain_event_entry"));
    }
}
