package dev.arbor.query.account;

import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.local.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account projection's set-based writes count each event once per row, whatever the batch holds and whoever else
 * folds the same events at the same time (two query nodes during a segment's hand-over).
 */
class AccountWritesTest {

    private static final EmbeddedDatabase DATABASE = TestDatabase.get();
    private static final String URL = DATABASE.jdbcUrl() + "?currentSchema=read_model";

    @BeforeAll
    static void createTheReadModel() {
        Flyway.configure()
              .dataSource(DATABASE.jdbcUrl(), DATABASE.user(), DATABASE.password())
              .schemas("read_model").defaultSchema("read_model")
              .locations("classpath:db/migration/query-side")
              .load().migrate();
    }

    @Test
    void anEventTwiceInOneBatchCountsOnce() throws SQLException {
        UUID account = accountWithSeats(10);

        try (Connection connection = transaction()) {
            Map<String, ?> fiveSeatsReceived = seatsChange(account, 5, 1);
            AccountWrites.COUNT.run(connection, List.of(fiveSeatsReceived, fiveSeatsReceived));
            connection.commit();
        }

        assertThat(seatsOf(account)).isEqualTo(15);
    }

    @Test
    void onlyTheEventsARowHasNotSeenCount() throws SQLException {
        UUID account = accountWithSeats(10);
        count(account, seatsChange(account, 5, 1));

        count(account, seatsChange(account, 5, 1), seatsChange(account, 3, 2));

        assertThat(seatsOf(account)).isEqualTo(18);
    }

    /**
     * The interleaving of a hand-over, forced: the first transaction has counted an event and not committed; the
     * second counts the same event and waits for the first's row lock; the first commits.
     */
    @Test
    void anEventCountedByTwoTransactionsAtOnceCountsOnce() throws Exception {
        UUID account = accountWithSeats(10);
        Map<String, ?> fiveSeatsReceived = seatsChange(account, 5, 1);

        try (Connection first = transaction(); Connection second = transaction()) {
            AccountWrites.COUNT.run(first, List.of(fiveSeatsReceived));
            CompletableFuture<Void> secondCount = CompletableFuture.runAsync(() -> {
                try {
                    AccountWrites.COUNT.run(second, List.of(fiveSeatsReceived));
                    second.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitALockWait();
            first.commit();
            secondCount.get(10, TimeUnit.SECONDS);
        }

        assertThat(seatsOf(account)).isEqualTo(15);
    }

    private static UUID accountWithSeats(long seats) throws SQLException {
        UUID id = UUID.randomUUID();
        Map<String, Object> created = new HashMap<>();
        created.put("id", id);
        created.put("name", "Account " + id);
        created.put("rootId", id);
        created.put("seats", seats);
        created.put("limits", "{}");
        created.put("at", Instant.now().toString());
        created.put("version", 0L);
        try (Connection connection = transaction()) {
            AccountWrites.CREATE.run(connection, List.of(created));
            connection.commit();
        }
        return id;
    }

    private static Map<String, ?> seatsChange(UUID account, long seats, long version) {
        return Map.of("id", account, "seats", seats, "devices", 0, "users", 0, "at", Instant.now().toString(),
                      "version", version);
    }

    @SafeVarargs
    private static void count(UUID account, Map<String, ?>... rows) throws SQLException {
        try (Connection connection = transaction()) {
            AccountWrites.COUNT.run(connection, List.of(rows));
            connection.commit();
        }
    }

    private static long seatsOf(UUID account) throws SQLException {
        try (Connection connection = transaction();
             PreparedStatement query = connection.prepareStatement("SELECT seats_total FROM account WHERE id = ?")) {
            query.setObject(1, account);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getLong(1);
            }
        }
    }

    /** Until some session of the test waits for a row lock: the second count, behind the first. */
    private static void awaitALockWait() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        try (Connection watcher = DriverManager.getConnection(URL, DATABASE.user(), DATABASE.password());
             PreparedStatement waiting = watcher.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = ?")) {
            waiting.setString(1, EmbeddedDatabase.DATABASE);
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet count = waiting.executeQuery()) {
                    count.next();
                    if (count.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the second count never waited for the first one's lock");
    }

    private static Connection transaction() throws SQLException {
        Connection connection = DriverManager.getConnection(URL, DATABASE.user(), DATABASE.password());
        connection.setAutoCommit(false);
        return connection;
    }
}
