package dev.arbor.system;

import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #8, point 4: PostgreSQL stops for a while ({@code -Darbor.faults.outage-seconds}, 10 by default) while commands
 * keep coming. Both apps, real processes on a PostgreSQL of their own, stay up and say so (liveness), leave the
 * traffic (readiness 503), refuse requests with 503 problem+json and {@code Retry-After} rather than a 500, and come
 * back by themselves once the same server is started again on the same port and data; every command they accepted
 * is stored and projected.
 * <p>
 * The server does not shut down: it crashes (SIGKILL to it and its backends, as the kernel's OOM killer or a power
 * cut would), and recovers from its WAL when started again. The query side commits without waiting for the WAL's
 * fsync, so its last commits before the crash may be gone; the event store's are not (the command side waits), and
 * the processors fold again what their lost tokens had passed.
 */
@Tag("fault")
class DatabaseOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("arbor.faults.outage-seconds", 10));
    /** Readiness asks for a connection, which Hikari opens anew at once now that the server answers. */
    private static final Duration READY_AGAIN_WITHIN = Duration.ofSeconds(30);
    /**
     * Axon's pooled processors retry a failed batch after a pause that doubles with every failure up to 60 s, so
     * projection may resume up to about as long after the database returns as it was away, plus a retry's work.
     */
    private static final Duration PROJECTED_WITHIN = Duration.ofSeconds(90);
    private static final List<String> UNAVAILABLE_CODES = List.of("DATABASE_UNAVAILABLE", "OVERLOADED");

    private static Path dataDirectory;
    private static int port;
    private static EmbeddedDatabase database;
    private static StoreChecks store;
    private static ArborProcess commandSide;
    private static ArborProcess querySide;

    @BeforeAll
    static void startADurableDatabaseAndBothApps() throws IOException {
        dataDirectory = Files.createTempDirectory("arbor-outage-postgres");
        port = ArborProcess.freePort();
        database = startDatabase();
        store = new StoreChecks(database);
        Path keys = TestTokens.keyFile().getParent();
        // the command side first: its migrations create the event store the query side reads
        commandSide = ArborProcess.start("command-side", "outage-command", database, keys).awaitReady();
        querySide = ArborProcess.start("query-side", "outage-query", database, keys,
                                       "--arbor.token-claim-interval-ms=500").awaitReady();
    }

    @AfterAll
    static void stopEverything() {
        for (ArborProcess app : new ArborProcess[] {commandSide, querySide}) {
            if (app != null) {
                app.kill();
            }
        }
        if (database != null) {
            database.close();
        }
        FileSystemUtils.deleteRecursively(dataDirectory.toFile());
    }

    @Test
    void theAppsRideOutADatabaseOutageAndLoseNoAcceptedCommand() {
        try (CommandLoad load = new CommandLoad(commandSide.uri, 4)) {
            load.awaitAccepted(5, Duration.ofSeconds(30));
            String accountBeforeTheOutage = load.accepted().get(0).id();

            // the crash comes while the query side is projecting, not before its first commit
            await().atMost(Duration.ofSeconds(30)).until(() -> auditedEvents() >= 5);
            long auditedBeforeTheCrash = auditedEvents();
            crashDatabase();
            Instant stopped = Instant.now();
            awaitReadiness(503, Duration.ofSeconds(15));
            System.out.printf("outage: both apps unready %d ms after PostgreSQL stopped%n",
                              Duration.between(stopped, Instant.now()).toMillis());
            assertStatus("/actuator/health/liveness", 200);
            assertUnavailable(Http.post(commandSide.uri, "/api/v1/accounts", CommandLoad.newAccount("Refused")));
            // refused by the idempotency filter, which looks the key up before Spring MVC sees the request
            assertUnavailable(Http.send(commandSide.uri, "POST", "/api/v1/accounts",
                                        CommandLoad.newAccount("Refused"), "Idempotency-Key", "outage-1"));
            assertUnavailable(Http.get(querySide.uri, "/api/v1/accounts/" + accountBeforeTheOutage));
            sleepUntil(stopped.plus(OUTAGE));
            assertStatus("/actuator/health/readiness", 503);

            database = startDatabase();
            Instant restarted = Instant.now();
            System.out.printf("outage: %d events in the audit log just before the crash, %d after the recovery%n",
                              auditedBeforeTheCrash, auditedEvents());
            awaitReadiness(200, READY_AGAIN_WITHIN);
            System.out.printf("outage: %d s; both apps ready %d ms after PostgreSQL was back%n", OUTAGE.toSeconds(),
                              Duration.between(restarted, Instant.now()).toMillis());
            int acceptedBeforeTheReturn = load.accepted().size();
            load.awaitAccepted(acceptedBeforeTheReturn + 5, Duration.ofSeconds(30));
            load.stop();

            System.out.println("outage: answers " + CommandLoad.tally(load.outcomes()));
            assertThat(load.outcomes()).allSatisfy(outcome -> {
                assertThat(outcome.status()).as(outcome.toString()).isIn(201, 503);
                if (outcome.status() == 503) {
                    assertThat(outcome.contentType()).as(outcome.toString()).startsWith("application/problem+json");
                    assertThat(outcome.code()).as(outcome.toString()).isIn(UNAVAILABLE_CODES);
                    assertThat(outcome.retryAfter()).as(outcome.toString()).isNotBlank();
                }
            });
            assertThat(load.outcomes()).as("commands refused during the outage")
                                       .anyMatch(outcome -> outcome.status() == 503);
            assertEveryAcceptedCommandIsStoredAndProjected(load.accepted());
            System.out.printf("outage: every accepted command projected %d ms after PostgreSQL was back%n",
                              Duration.between(restarted, Instant.now()).toMillis());
            store.awaitEveryEventInTheAuditLogOnce();
            store.assertReadModelMatchesTheEvents(querySide.uri);
            awaitHeartbeatAfter(restarted);
        }
        assertThat(commandSide.log()).content().doesNotContain("Unhandled failure");
        assertThat(querySide.log()).content().doesNotContain("Unhandled failure");
    }

    /** Kills the server and every backend at once, then lets the embedded server's handle go. */
    private static void crashDatabase() {
        ProcessHandle server = ProcessHandle.of(serverPid()).orElseThrow();
        List<ProcessHandle> backends = server.descendants().toList();
        server.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.isAlive()
                                                             && backends.stream().noneMatch(ProcessHandle::isAlive));
        try {
            database.close();
        } catch (RuntimeException alreadyGone) {
            // zonky's pg_ctl stop finds no server, as after any crash
        }
    }

    /** The first line of {@code postmaster.pid}, which a crashed server leaves behind for the next start to check. */
    private static long serverPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long auditedEvents() {
        return store.sql.sql("SELECT count(*) FROM read_model.audit_log").query(Long.class).single();
    }

    private static EmbeddedDatabase startDatabase() {
        return EmbeddedDatabase.start(dataDirectory, port, EmbeddedDatabase.Durability.DURABLE);
    }

    private static void awaitReadiness(int status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250))
               .untilAsserted(() -> assertStatus("/actuator/health/readiness", status));
    }

    private static void assertStatus(String path, int status) {
        for (ArborProcess app : List.of(commandSide, querySide)) {
            assertThat(Http.get(app.uri, path).status()).as(app.name + " " + path).isEqualTo(status);
        }
    }

    private static void assertUnavailable(Http.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("code").asText()).isEqualTo("DATABASE_UNAVAILABLE");
        assertThat(response.retryAfter()).isNotBlank();
    }

    private static void assertEveryAcceptedCommandIsStoredAndProjected(List<CommandLoad.Outcome> accepted) {
        Long[] positions = accepted.stream().map(CommandLoad.Outcome::position).toArray(Long[]::new);
        assertThat(store.sql.sql("SELECT global_index FROM event_store.domain_event_entry WHERE global_index = ANY(?)")
                            .param(positions).query(Long.class).list())
                .as("events of accepted commands").containsExactlyInAnyOrder(positions);
        UUID[] ids = accepted.stream().map(outcome -> UUID.fromString(outcome.id())).toArray(UUID[]::new);
        await().atMost(PROJECTED_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(store.sql.sql("SELECT id FROM read_model.account WHERE id = ANY(?)").param(ids)
                                .query(UUID.class).list())
                    .as("accepted accounts in the read model").containsExactlyInAnyOrder(ids);
            assertThat(store.sql.sql("SELECT position FROM read_model.audit_log WHERE position = ANY(?)")
                                .param(positions).query(Long.class).list())
                    .as("accepted commands in the audit log").containsExactlyInAnyOrder(positions);
        });
    }

    /** The segment balancer, a scheduled task that failed at every interval of the outage, runs again. */
    private static void awaitHeartbeatAfter(Instant moment) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                store.sql.sql("SELECT max(last_seen) FROM read_model.processor_node").query(Timestamp.class)
                         .single().toInstant()).as("the query node's last heartbeat").isAfter(moment));
    }

    private static void sleepUntil(Instant moment) {
        Duration left = Duration.between(Instant.now(), moment);
        if (!left.isNegative()) {
            ArborProcess.sleep(left);
        }
    }
}
