package dev.arbor.platform.eventstore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.arbor.local.EmbeddedDatabase;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every committed event reaches every reader of the event stream exactly once, in the order of its aggregate, however
 * the appending transactions interleave: the guarantee {@link GapSafeEventStorageEngine}'s gap proof exists for.
 * <p>
 * These tests run on a PostgreSQL server of their own, with autovacuum off, so that no transaction but the tests' own
 * takes a transaction id: the interleaving of transaction ids that the first test forces is then exactly the one it
 * writes down.
 */
class GapSafeEventStorageEngineTest {

    private static final String EVENT_TABLE = "event_store.domain_event_entry";

    private static EmbeddedDatabase server;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void startAQuietServer() throws IOException {
        server = EmbeddedDatabase.start(Files.createTempDirectory("arbor-gap-proof-postgres"), 0,
                                        EmbeddedDatabase.Durability.THROWAWAY, Map.of("autovacuum", "off"));
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(server.jdbcUrl());
        pool.setUsername(server.user());
        pool.setPassword(server.password());
        pool.setMaximumPoolSize(40);
        dataSource = new HikariDataSource(pool);
    }

    @AfterAll
    static void stopTheServer() {
        dataSource.close();
        server.close();
    }

    /** The event table and its trigger as the command side's migrations V1 and V9 create them, empty. */
    @BeforeEach
    void createTheEventStore() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS event_store CASCADE");
            sql.execute("CREATE SCHEMA event_store");
            sql.execute("""
                    CREATE TABLE event_store.domain_event_entry (
                        global_index         BIGINT GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 CACHE 1) PRIMARY KEY,
                        aggregate_identifier VARCHAR(255) NOT NULL,
                        sequence_number      BIGINT       NOT NULL,
                        type                 VARCHAR(255),
                        event_identifier     VARCHAR(255) NOT NULL UNIQUE,
                        meta_data            BYTEA,
                        payload              BYTEA        NOT NULL,
                        payload_revision     VARCHAR(255),
                        payload_type         VARCHAR(255) NOT NULL,
                        time_stamp           VARCHAR(255) NOT NULL,
                        UNIQUE (aggregate_identifier, sequence_number))""");
            sql.execute(migration("V9__gap_proof.sql"));
        }
    }

    /**
     * The interleaving that PostgreSQL's snapshot bounds do not reveal: a transaction takes its id, a second takes a
     * higher id and a global index, the first takes the next index and commits. A read then sees the first one's
     * event and a gap below it, while the second transaction is open with an id equal to the read's {@code xmax}
     * (one past the latest completed id, not past the latest assigned one) and so is not in the snapshot's list of
     * running transactions at all. The gap must stay until that transaction ends.
     */
    @Test
    void aGapStaysWhileTheTransactionBehindItIsOpenEvenIfItTookItsIdAfterTheOneThatCommittedAbove()
            throws SQLException {
        GapSafeEventStorageEngine engine = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);
        Reader reader = new Reader(engine, null);
        appendCommitted("before");
        reader.readAll();

        try (Connection first = transaction(); Connection second = transaction()) {
            takeTransactionId(first);
            append(second, "second");
            append(first, "first");
            first.commit();
            reader.readAll();
            reader.readAll();
            second.commit();
        }
        reader.readAll();

        assertThat(reader.names()).containsExactly("before", "first", "second");
    }

    /**
     * A command learns the position of each of its events from its append, in its unit of work, not from a read: a
     * seat move appends one event to the giver and one to the taker, in one batch, and each event's identifier maps to
     * the row it was stored in. A second append in the same unit of work adds to the first's.
     */
    @Test
    void anAppendRecordsThePositionOfEachOfItsEventsByIdentifierInItsUnitOfWork() throws SQLException {
        appendCommitted("before");
        GapSafeEventStorageEngine engine = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);
        String giver = UUID.randomUUID().toString();
        String taker = UUID.randomUUID().toString();
        DomainEventMessage<String> seatsSent = new GenericDomainEventMessage<>("Account", giver, 0, "seats-sent");
        DomainEventMessage<String> seatsReceived = new GenericDomainEventMessage<>("Account", taker, 0, "seats-received");
        DomainEventMessage<String> later = new GenericDomainEventMessage<>("Account", giver, 1, "later");
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            assertThat(AppendedPositions.of(unitOfWork, seatsSent.getIdentifier())).isEmpty();

            engine.appendEvents(List.of(seatsSent, seatsReceived));
            engine.appendEvents(List.of(later));

            for (DomainEventMessage<String> event : List.of(seatsSent, seatsReceived, later)) {
                assertThat(AppendedPositions.of(unitOfWork, event.getIdentifier())).as(event.getPayload())
                        .hasValue(globalIndexOf(event.getIdentifier()));
            }
            assertThat(AppendedPositions.of(unitOfWork, "an event another unit of work appended")).isEmpty();
        } finally {
            unitOfWork.rollback();
        }
    }

    /**
     * An insert that does not return one row per event (here a trigger skips one of the two rows) fails the append,
     * and so the transaction around it, rather than leave a command with another event's position or none; nothing is
     * recorded.
     */
    @Test
    void anAppendWhoseGeneratedKeysDoNotMatchItsEventsIsRefused() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    CREATE FUNCTION event_store.skip_swallowed() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RETURN NULL; END $$""");
            sql.execute("CREATE TRIGGER skip_swallowed BEFORE INSERT ON " + EVENT_TABLE + " FOR EACH ROW"
                        + " WHEN (convert_from(NEW.payload, 'UTF8') = '\"swallowed\"')"
                        + " EXECUTE FUNCTION event_store.skip_swallowed()");
        }
        GapSafeEventStorageEngine engine = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);
        String aggregate = UUID.randomUUID().toString();
        DomainEventMessage<String> kept = new GenericDomainEventMessage<>("Test", aggregate, 0, "kept");
        DomainEventMessage<String> swallowed = new GenericDomainEventMessage<>("Test", aggregate, 1, "swallowed");
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            assertThatThrownBy(() -> engine.appendEvents(List.of(kept, swallowed)))
                    .isInstanceOf(EventStoreException.class)
                    .hasMessageContaining("The append of 2 events returned 1 generated keys");

            assertThat(AppendedPositions.of(unitOfWork, kept.getIdentifier())).isEmpty();
            assertThat(AppendedPositions.of(unitOfWork, swallowed.getIdentifier())).isEmpty();
        } finally {
            unitOfWork.rollback();
        }
    }

    /**
     * The tokens a processor starts from (the tail, the head, an instant for a replay) taken while a transaction holds
     * an index below every visible event: its event, committed afterwards, is read from each of them.
     */
    @Test
    void aStreamFromTheTailTheHeadOrAnInstantReadsTheEventOfATransactionOpenBelowIt() throws Exception {
        GapSafeEventStorageEngine engine = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);
        List<Reader> readers = new ArrayList<>();
        try (Connection open = transaction()) {
            append(open, "open");
            Thread.sleep(5);
            Instant afterTheOpenOne = Instant.now();
            Thread.sleep(5);
            appendCommitted("after");
            readers.add(new Reader(engine, engine.createTailToken()));
            readers.add(new Reader(engine, engine.createHeadToken()));
            readers.add(new Reader(engine, engine.createTokenAt(afterTheOpenOne)));
            readers.forEach(Reader::readAll);
            open.commit();
        }
        readers.forEach(Reader::readAll);

        assertThat(readers.get(0).names()).as("from the tail").containsExactly("after", "open");
        assertThat(readers.get(1).names()).as("from the head").containsExactly("open");
        assertThat(readers.get(2).names()).as("from an instant").containsExactly("after", "open");
    }

    /**
     * The store holds an event's time as text, and Axon compared it with the instant as text: right for what Axon's
     * own formatter writes (exactly three digits of fraction), wrong for ISO-8601 text of other widths, which Axon
     * reads as well (a bulk load, an import: {@code 01.000400Z} sorted before the instant's {@code 01.000Z}), and such
     * an event was left out of a replay from the instant.
     */
    @Test
    void aStreamFromAnInstantReadsTheEventsAtOrAfterItAsInstantsNotAsText() throws SQLException {
        Instant instant = Instant.parse("2026-01-01T12:00:01Z");
        appendCommitted("before", instant.minusNanos(1_000_000).toString());
        appendCommitted("within-its-millisecond", instant.plusNanos(400_000).toString());
        appendCommitted("after", DateTimeUtils.formatInstant(instant.plusSeconds(1)));
        GapSafeEventStorageEngine engine = new GapSafeEventStorageEngine(engineBuilder(), NoTransactionManager.INSTANCE);

        Reader fromTheInstant = new Reader(engine, engine.createTokenAt(instant));
        fromTheInstant.readAll();

        assertThat(fromTheInstant.names()).containsExactly("within-its-millisecond", "after");
    }

    /**
     * Many appenders, as on several command nodes: some take their transaction id well before their first event (a
     * command that writes its lookups first), some append in several statements, some hold their transaction open,
     * some roll back. Two engines, as on two query nodes, each read by two processors at once. Every reader must see
     * every committed event exactly once and each aggregate's events in order. Seeded: {@code -Darbor.test.seed=...}
     * repeats a run's mix of transactions.
     */
    @Test
    void everyCommittedEventReachesEveryReaderOnceInTheOrderOfItsAggregate() throws Exception {
        long seed = Long.getLong("arbor.test.seed", 27L);
        List<GapSafeEventStorageEngine> nodes = List.of(
                new GapSafeEventStorageEngine(engineBuilder().batchSize(20), NoTransactionManager.INSTANCE),
                new GapSafeEventStorageEngine(engineBuilder().batchSize(20), NoTransactionManager.INSTANCE));
        List<Reader> readers = new ArrayList<>();
        for (GapSafeEventStorageEngine node : nodes) {
            readers.add(new Reader(node, null));
            readers.add(new Reader(node, null));
        }
        Map<String, AppendedEvent> committed = new ConcurrentHashMap<>();
        AtomicBoolean appending = new AtomicBoolean(true);
        ExecutorService threads = Executors.newCachedThreadPool();
        List<Future<?>> readLoops = readers.stream()
                                           .map(reader -> threads.submit(() -> reader.readUntil(appending, committed)))
                                           .collect(Collectors.toList());

        List<Future<?>> appenders = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            Random random = new Random(seed * 31 + thread);
            appenders.add(threads.submit(() -> appendRandomly(random, 120, committed)));
        }
        for (Future<?> appender : appenders) {
            appender.get(2, TimeUnit.MINUTES);
        }
        appending.set(false);
        for (Future<?> loop : readLoops) {
            loop.get(1, TimeUnit.MINUTES);
        }
        threads.shutdown();

        for (Reader reader : readers) {
            assertThat(reader.duplicates()).as("events read twice, seed %d", seed).isEmpty();
            assertThat(missingIndexes(reader, committed.keySet())).as("committed events never read, seed %d", seed)
                                                                 .isEmpty();
            assertThat(reader.aggregatesOutOfOrder()).as("aggregates read out of order, seed %d", seed).isEmpty();
        }
        assertThat(committed).hasSizeGreaterThan(500);
    }

    /** {@code transactions} transactions of one to three events on three aggregates of this appender's own. */
    private void appendRandomly(Random random, int transactions, Map<String, AppendedEvent> committed) {
        List<String> aggregates = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                                          UUID.randomUUID().toString());
        Map<String, Long> nextSequence = new HashMap<>();
        try {
            for (int i = 0; i < transactions; i++) {
                String aggregate = aggregates.get(random.nextInt(aggregates.size()));
                long sequence = nextSequence.getOrDefault(aggregate, 0L);
                List<AppendedEvent> events = new ArrayList<>();
                try (Connection connection = transaction()) {
                    if (random.nextBoolean()) {
                        takeTransactionId(connection);
                        pause(random, 3);
                    }
                    int count = 1 + random.nextInt(3);
                    for (int e = 0; e < count; e++) {
                        AppendedEvent event = new AppendedEvent("e-" + UUID.randomUUID(), aggregate, sequence + e);
                        append(connection, event);
                        events.add(event);
                        if (random.nextInt(3) == 0) {
                            pause(random, 3);
                        }
                    }
                    if (random.nextInt(5) == 0) {
                        pause(random, 30);
                    }
                    if (random.nextInt(10) == 0) {
                        connection.rollback();
                        continue;
                    }
                    connection.commit();
                }
                events.forEach(event -> committed.put(event.id(), event));
                nextSequence.put(aggregate, sequence + events.size());
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(Random random, int maxMillis) throws InterruptedException {
        Thread.sleep(random.nextInt(maxMillis + 1));
    }

    private List<Long> missingIndexes(Reader reader, Set<String> committed) throws SQLException {
        List<String> missing = committed.stream().filter(id -> !reader.seen.containsKey(id)).toList();
        List<Long> indexes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT global_index FROM " + EVENT_TABLE + " WHERE event_identifier = ANY (?) ORDER BY 1")) {
            query.setArray(1, connection.createArrayOf("varchar", missing.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getLong(1));
                }
            }
        }
        return indexes;
    }

    /** One processor's view of the stream: the token it has reached and every event it was handed. */
    private static final class Reader {

        private final GapSafeEventStorageEngine engine;
        private TrackingToken token;
        private final List<DomainEventMessage<?>> read = new CopyOnWriteArrayList<>();
        private final Map<String, Integer> seen = new ConcurrentHashMap<>();

        Reader(GapSafeEventStorageEngine engine, TrackingToken from) {
            this.engine = engine;
            this.token = from;
        }

        void readAll() {
            engine.readEvents(token, false).forEach(event -> {
                read.add((DomainEventMessage<?>) event);
                seen.merge(event.getIdentifier(), 1, Integer::sum);
                token = ((TrackedEventMessage<?>) event).trackingToken();
            });
        }

        /** Reads while events are appended, then until it has every committed event or none came for 10 s. */
        Void readUntil(AtomicBoolean appending, Map<String, AppendedEvent> committed) throws InterruptedException {
            Instant lastProgress = Instant.now();
            while (appending.get() || !seen.keySet().containsAll(committed.keySet())) {
                int before = read.size();
                readAll();
                if (read.size() > before) {
                    lastProgress = Instant.now();
                } else if (!appending.get() && Duration.between(lastProgress, Instant.now()).toSeconds() >= 10) {
                    return null;
                } else {
                    Thread.sleep(1);
                }
            }
            return null;
        }

        List<String> names() {
            return read.stream().map(event -> (String) event.getPayload()).toList();
        }

        Map<String, Integer> duplicates() {
            return seen.entrySet().stream().filter(entry -> entry.getValue() > 1)
                       .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        /** Per aggregate whose events came out of order: the sequence numbers as read. */
        Map<String, List<Long>> aggregatesOutOfOrder() {
            Map<String, List<Long>> sequences = new LinkedHashMap<>();
            for (DomainEventMessage<?> event : read) {
                sequences.computeIfAbsent(event.getAggregateIdentifier(), a -> new ArrayList<>())
                         .add(event.getSequenceNumber());
            }
            Map<String, List<Long>> outOfOrder = new TreeMap<>();
            sequences.forEach((aggregate, numbers) -> {
                if (!isAscending(numbers)) {
                    outOfOrder.put(aggregate, numbers);
                }
            });
            return outOfOrder;
        }

        private static boolean isAscending(Collection<Long> numbers) {
            long previous = -1;
            for (long number : numbers) {
                if (number <= previous) {
                    return false;
                }
                previous = number;
            }
            return true;
        }
    }

    private record AppendedEvent(String id, String aggregate, long sequence) {
    }

    private static Connection transaction() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    /** The engine's streams as the query side's processors read them: decorated by {@link ReadPause}. */
    @Nested
    class DecoratedByAReadPause {

        /**
         * A read goes on past full batches; after one less than half full it answers that there is nothing more,
         * without reading, until its pause is over.
         */
        @Test
        void aReadPausesAfterABatchLessThanHalfFull() throws Exception {
            Duration pause = Duration.ofMillis(500);
            Iterator<? extends TrackedEventMessage<?>> read = readThroughThenAppendAfter(
                    14, new ReadPause(new GapSafeEventStorageEngine(engineBuilder().batchSize(10),
                                                                    NoTransactionManager.INSTANCE), pause));

            assertThat(read.hasNext()).as("the read, after a batch of 4 that followed one of 10").isFalse();
            assertThat(read.hasNext()).as("the read, asked again during the pause").isFalse();
            Thread.sleep(pause.toMillis());
            assertThat(read.hasNext()).as("the read, after the pause").isTrue();
            assertThat(read.next().getIdentifier()).startsWith("after");
        }

        /** Undecorated, the engine reads again at once, as Axon's does: the pause is the decorator's alone. */
        @Test
        void withoutTheDecoratorAReadGoesOnAtOnce() throws Exception {
            Iterator<? extends TrackedEventMessage<?>> read = readThroughThenAppendAfter(
                    4, new GapSafeEventStorageEngine(engineBuilder().batchSize(10), NoTransactionManager.INSTANCE));

            assertThat(read.hasNext()).as("the read, after a batch of 4").isTrue();
            assertThat(read.next().getIdentifier()).startsWith("after");
        }

        /**
         * A read of {@code engine}'s stream from its head, once {@code before} events were appended above it, that has
         * taken those events; then one more, "after", is appended for it to find or not.
         */
        private Iterator<? extends TrackedEventMessage<?>> readThroughThenAppendAfter(
                int before, EventStorageEngine engine) throws SQLException {
            appendCommitted("first"); // a token to start from, so that the batches are the ranges of indexes above it
            TrackingToken start = engine.createHeadToken();
            for (int i = 0; i < before; i++) {
                appendCommitted("before");
            }
            Iterator<? extends TrackedEventMessage<?>> read = engine.readEvents(start, false).iterator();
            for (int i = 0; i < before; i++) {
                assertThat(read.next().getIdentifier()).startsWith("before");
            }
            appendCommitted("after");
            return read;
        }
    }

    /** What a command that writes its lookups before its events does first. */
    private static void takeTransactionId(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("SELECT pg_current_xact_id()");
        }
    }

    private static long globalIndexOf(String eventIdentifier) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT global_index FROM " + EVENT_TABLE + " WHERE event_identifier = ?")) {
            select.setString(1, eventIdentifier);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("event " + eventIdentifier + " stored").isTrue();
                return row.getLong(1);
            }
        }
    }

    private static void appendCommitted(String name) throws SQLException {
        try (Connection connection = transaction()) {
            append(connection, name);
            connection.commit();
        }
    }

    private static void appendCommitted(String name, String at) throws SQLException {
        try (Connection connection = transaction()) {
            append(connection, new AppendedEvent(name + "-" + UUID.randomUUID(), UUID.randomUUID().toString(), 0), at);
            connection.commit();
        }
    }

    private static void append(Connection connection, String name) throws SQLException {
        append(connection, new AppendedEvent(name + "-" + UUID.randomUUID(), UUID.randomUUID().toString(), 0));
    }

    private static void append(Connection connection, AppendedEvent event) throws SQLException {
        append(connection, event, DateTimeUtils.formatInstant(Instant.now()));
    }

    private static void append(Connection connection, AppendedEvent event, String at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + EVENT_TABLE + " (aggregate_identifier, sequence_number, type, event_identifier,"
                + " payload, payload_type, meta_data, time_stamp)"
                + " VALUES (?, ?, 'Test', ?, ?, 'java.lang.String', '{}'::bytea, ?)")) {
            insert.setString(1, event.aggregate());
            insert.setLong(2, event.sequence());
            insert.setString(3, event.id());
            insert.setBytes(4, ("\"" + event.id().replaceFirst("-[0-9a-f-]+$", "") + "\"").getBytes(UTF_8));
            insert.setString(5, at);
            insert.executeUpdate();
        }
    }

    private static String migration(String name) {
        try (var in = GapSafeEventStorageEngineTest.class.getResourceAsStream(
                "/db/migration/command-side/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Migration " + name + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JdbcEventStorageEngine.Builder engineBuilder() {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        DataSource source = dataSource;
        return JdbcEventStorageEngine.builder()
                                     .schema(EventStoreConfiguration.eventSchema(EVENT_TABLE))
                                     .dataType(byte[].class)
                                     .eventSerializer(serializer)
                                     .snapshotSerializer(serializer)
                                     .connectionProvider(new DataSourceConnectionProvider(source))
                                     .transactionManager(NoTransactionManager.INSTANCE);
    }
}
