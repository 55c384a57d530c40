package dev.arbor.system;

import dev.arbor.api.account.AccountDetailsUpdated;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.platform.eventstore.EventStoreConfiguration;
import dev.arbor.platform.eventstore.GapSafeEventStorageEngine;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #8, guarantee 1: an event whose transaction took its global index long before it committed, while later events
 * committed and were processed, is still processed. Axon's own engine drops such a gap once it reads events older than
 * its {@code gapTimeout} above it (AxonFramework issue #4829); Arbor's {@link GapSafeEventStorageEngine} drops a gap
 * only once PostgreSQL shows the transaction behind it has ended.
 */
class SlowTransactionTest {

    private static final String EVENT_TABLE = "slow_transaction.domain_event_entry";
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(1);

    private final RunningArbor arbor = RunningArbor.get();
    private final DataSource dataSource = arbor.commandSideBean(DataSource.class);

    /** A copy of the event table, trigger included, so that these raw events reach no running processor. */
    @BeforeAll
    static void copyTheEventTable() {
        RunningArbor.get().database.sql("""
                CREATE SCHEMA slow_transaction;
                CREATE TABLE slow_transaction.domain_event_entry
                    (LIKE event_store.domain_event_entry INCLUDING ALL);
                CREATE TRIGGER take_transaction_id_before_global_index
                    BEFORE INSERT ON slow_transaction.domain_event_entry
                    FOR EACH STATEMENT EXECUTE FUNCTION event_store.take_transaction_id()""").update();
    }

    @Test
    void axonsOwnEngineSkipsAnEventCommittedAfterTheGapTimeoutWhenItsProcessorLags() throws Exception {
        EventStorageEngine axons = engineBuilder().build();

        assertThat(readAroundASlowCommit(axons)).containsExactly("later");
    }

    @Test
    void arborsEngineReadsAnEventCommittedAfterTheGapTimeoutWhenItsProcessorLags() throws Exception {
        EventStorageEngine arbors = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);

        assertThat(readAroundASlowCommit(arbors)).containsExactly("later", "slow");
    }

    @Test
    void arborsEngineReadsAnEventCommittedLongAfterLaterOnesWereRead() throws Exception {
        EventStorageEngine arbors = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);
        TrackingToken start = arbors.createHeadToken();
        List<String> read = new ArrayList<>();

        try (Connection slow = transactionHoldingAnEvent("slow")) {
            for (int i = 0; i < 5; i++) {
                insertCommitted("later " + i);
                start = readInto(read, arbors, start);
                Thread.sleep(GAP_TIMEOUT.toMillis() / 2);
            }
            slow.commit();
        }
        readInto(read, arbors, start);

        assertThat(read).containsExactly("later 0", "later 1", "later 2", "later 3", "later 4", "slow");
    }

    /** Once the first gap is filled, the second is not yet to be proved empty: its event comes next in the answer. */
    @Test
    void arborsEngineReadsSeveralSlowEventsCommittedTogether() throws Exception {
        EventStorageEngine arbors = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);
        TrackingToken start = arbors.createHeadToken();
        List<String> read = new ArrayList<>();

        try (Connection first = transactionHoldingAnEvent("slow 1");
             Connection second = transactionHoldingAnEvent("slow 2")) {
            insertCommitted("later");
            start = readInto(read, arbors, start);
            first.commit();
            second.commit();
        }
        readInto(read, arbors, start);

        assertThat(read).containsExactly("later", "slow 1", "slow 2");
    }

    /** Through the whole stack: a real event held in a command-side transaction, the real query side projecting. */
    @Test
    void theQuerySideProjectsAnEventCommittedAfterLaterOnesWereProjected() throws Exception {
        Http.Response created = Http.post(arbor.commandSide, "/api/v1/accounts",
                                          "{\"name\": \"Before the slow rename\", \"seats\": 0}");
        UUID id = UUID.fromString(created.body().get("id").asText());
        CountDownLatch indexTaken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        CompletableFuture<Void> slowRename = CompletableFuture.runAsync(() -> new TransactionTemplate(
                arbor.commandSideBean(PlatformTransactionManager.class)).executeWithoutResult(transaction -> {
            arbor.commandSideBean(EventStorageEngine.class).appendEvents(renamed(id));
            indexTaken.countDown();
            awaitQuietly(release);
        }));
        assertThat(indexTaken.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            Http.Response later = Http.post(arbor.commandSide, "/api/v1/accounts",
                                            "{\"name\": \"Committed meanwhile\", \"seats\": 0}");
            assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts/" + later.body().get("id").asText(),
                                     later.body().get("position").asLong(), 5_000).stale()).isFalse();
        }
        Thread.sleep(GAP_TIMEOUT.multipliedBy(2).toMillis());
        release.countDown();
        slowRename.get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Http.get(arbor.querySide, "/api/v1/accounts/" + id).body().get("name").asText())
                .isEqualTo("Renamed slowly"));
    }

    private List<String> readAroundASlowCommit(EventStorageEngine engine) throws Exception {
        TrackingToken start = engine.createHeadToken();
        List<String> read = new ArrayList<>();
        try (Connection slow = transactionHoldingAnEvent("slow")) {
            insertCommitted("later");
            // the processor falls behind by more than the gap timeout, as after a restart or during a burst
            Thread.sleep(GAP_TIMEOUT.multipliedBy(3).dividedBy(2).toMillis());
            start = readInto(read, engine, start);
            slow.commit();
        }
        readInto(read, engine, start);
        return read;
    }

    private static TrackingToken readInto(List<String> read, EventStorageEngine engine, TrackingToken from) {
        TrackingToken last = from;
        for (TrackedEventMessage<?> event : engine.readEvents(from, false).toList()) {
            read.add(event.getIdentifier().replaceFirst("-[0-9a-f-]+$", ""));
            last = event.trackingToken();
        }
        return last;
    }

    private Connection transactionHoldingAnEvent(String name) throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        insert(connection, name);
        return connection;
    }

    private void insertCommitted(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            insert(connection, name);
        }
    }

    /** An event whose identifier starts with {@code name}, so that the tests can tell the events apart. */
    private static void insert(Connection connection, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + EVENT_TABLE + " (aggregate_identifier, sequence_number, type, event_identifier,"
                + " payload, payload_type, meta_data, time_stamp)"
                + " VALUES (?, 0, 'Test', ?, ?, 'java.lang.String', '{}'::bytea, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, name + "-" + UUID.randomUUID());
            insert.setBytes(3, ("\"" + name + "\"").getBytes(UTF_8));
            insert.setString(4, Instant.now().toString());
            insert.executeUpdate();
        }
    }

    private JdbcEventStorageEngine.Builder engineBuilder() {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        return JdbcEventStorageEngine.builder()
                                     .schema(EventStoreConfiguration.eventSchema(EVENT_TABLE))
                                     .dataType(byte[].class)
                                     .eventSerializer(serializer)
                                     .snapshotSerializer(serializer)
                                     .gapTimeout((int) GAP_TIMEOUT.toMillis())
                                     .connectionProvider(new DataSourceConnectionProvider(dataSource))
                                     .transactionManager(NoTransactionManager.INSTANCE);
    }

    private GenericDomainEventMessage<AccountDetailsUpdated> renamed(UUID id) {
        long lastSequence = arbor.commandSideBean(EventStorageEngine.class).lastSequenceNumberFor(id.toString())
                                 .orElseThrow();
        return new GenericDomainEventMessage<>("Account", id.toString(), lastSequence + 1,
                                               new AccountDetailsUpdated(id, id, "Renamed slowly", null, null),
                                               MetaData.with(EventMetadata.ACTOR, "slow-transaction-test"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
