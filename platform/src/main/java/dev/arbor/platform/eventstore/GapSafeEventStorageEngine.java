package dev.arbor.platform.eventstore;

import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Axon's JDBC storage engine, except that a processor drops a gap in the global index only once PostgreSQL proves that
 * no event will ever fill it.
 * <p>
 * Axon drops a gap by the clock: once it reads an event older than {@code gapTimeout} above the gap, it assumes the
 * transaction that took the missing index rolled back. A transaction that is merely slow (a long pause, a slow commit)
 * then commits an event that no processor ever sees (AxonFramework issue #4829, closed Won't Fix). Here the proof
 * comes from transaction ids instead:
 * <ol>
 * <li>A statement trigger on the event table makes every appending transaction take its id before it takes a global
 * index (migration {@code V9__gap_proof.sql}).</li>
 * <li>A read that sees an event at index {@code r} and a gap {@code g} below it takes a transaction id of its own,
 * after its snapshot: the gap's bound. The transaction that took {@code g} took its id before {@code g}, so before
 * {@code r} was taken, committed and seen, so before the bound: its id is below the bound. (The snapshot's
 * {@code xmax} is no such bound: it is one past the latest <em>completed</em> id, and a transaction that took its id
 * after an older one, and its index before the older one's, is open with an id at or above it, listed nowhere in the
 * snapshot.)</li>
 * <li>A later read whose snapshot's {@code xmin} is at or past the bound knows that transaction has ended; had it
 * committed, its event would be visible and returned, since every read asks for the token's gaps. Only then is the
 * gap dropped.</li>
 * </ol>
 * A read in a transaction that already has an id (one that wrote before it read) cannot take a fresh one: it drops
 * gaps by the bounds other reads found, and sets none. A read that meets no new gap takes no id.
 * <p>
 * A transaction that stays open keeps its index a gap for as long as it is open, however long that is; processors go on
 * meanwhile. Nothing here depends on clocks, {@code gapTimeout} or {@code maxGapOffset}.
 * <p>
 * Its stream reads batch after batch until one comes back empty, as Axon's does; {@link ReadPause} decorates it to pause
 * once a reader has caught up.
 */
public class GapSafeEventStorageEngine extends JdbcEventStorageEngine {

    private static final String SNAPSHOT_XMIN = "snapshot_xmin";
    private static final String GAP_BOUND = "gap_bound";
    /** A gap's bound only delays its drop when forgotten, so past this size the bounds are simply started afresh. */
    private static final int MAX_REMEMBERED_GAPS = 100_000;

    /** Per gap: every transaction that may still fill it has an id below this. */
    private final Map<Long, Long> gapBounds = new ConcurrentHashMap<>();

    private final TransactionManager transactionManager;

    /**
     * An engine as {@code builder} describes it, appending in {@code transactionManager}'s transactions, without
     * Axon's clock-based gap cleaning.
     */
    public GapSafeEventStorageEngine(JdbcEventStorageEngine.Builder builder, TransactionManager transactionManager) {
        super(builder.transactionManager(transactionManager)
                     .gapCleaningThreshold(Integer.MAX_VALUE)
                     .createTokenAt(GapSafeEventStorageEngine::lastIndexBefore));
        this.transactionManager = transactionManager;
    }

    /**
     * An aggregate's events are read in ranges of sequence numbers; a range not full is the last. Axon's JDBC engine
     * reads on until a range comes back empty, one more query for every aggregate loaded from the store, to cope with
     * gaps in an aggregate's sequence numbers (AxonFramework #911): Arbor's streams have none, since its one store's
     * unique key takes each aggregate's sequence numbers one after the other, and a rolled-back append leaves no row.
     */
    @Override
    protected boolean fetchForAggregateUntilEmpty() {
        return false;
    }

    /**
     * Axon's append, in one JDBC batch as Axon sends it, that also has PostgreSQL return each row's global index with
     * its event identifier, and records them in the unit of work ({@link AppendedPositions}): a command learns its
     * position from its append instead of a second statement.
     */
    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        transactionManager.executeInTransaction(() -> {
            Connection connection = getConnection();
            try (PreparedStatement append = appendEvents(returningPositions(connection), events, serializer)) {
                append.executeBatch();
                try (ResultSet positions = append.getGeneratedKeys()) {
                    AppendedPositions.record(positionsOf(positions, events));
                }
            } catch (SQLException e) {
                handlePersistenceException(e, events.get(0));
            } finally {
                JdbcUtils.closeQuietly(connection);
            }
        });
    }

    /**
     * The global index of each of {@code events}, by identifier, as the insert returned them. Anything but exactly one
     * row per event (a trigger that skipped a row, a driver that returned only the last key) fails the append, and
     * with it the transaction: a command would otherwise answer a position that is not its event's, or none.
     */
    private Map<String, Long> positionsOf(ResultSet returned, List<? extends EventMessage<?>> events)
            throws SQLException {
        Map<String, Long> positions = new HashMap<>();
        int rows = 0;
        while (returned.next()) {
            rows++;
            positions.put(returned.getString(schema().eventIdentifierColumn()),
                          returned.getLong(schema().globalIndexColumn()));
        }
        Set<String> appended = events.stream().map(EventMessage::getIdentifier).collect(Collectors.toSet());
        if (rows != events.size() || !positions.keySet().equals(appended)) {
            throw new EventStoreException("The append of " + events.size() + " events returned " + rows
                                          + " generated keys, for the events " + positions.keySet() + " of "
                                          + appended + "; every appended event must have exactly one position");
        }
        return positions;
    }

    /**
     * {@code connection}, except that the statement Axon's append prepares returns the global index it generates and
     * the event identifier of its row: Axon's own statement builder fills it, so the columns and their encoding stay
     * Axon's.
     */
    private Connection returningPositions(Connection connection) {
        String[] generated = {schema().globalIndexColumn(), schema().eventIdentifierColumn()};
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("prepareStatement") && arguments.length == 1) {
                        return connection.prepareStatement((String) arguments[0], generated);
                    }
                    try {
                        return method.invoke(connection, arguments);
                    } catch (InvocationTargetException failure) {
                        throw failure.getCause();
                    }
                });
    }

    /**
     * The index before the first event at or after {@code instant}, comparing times as instants. Axon compares the
     * stored text with the instant's: right only for what its own formatter writes (exactly three digits of fraction),
     * while the store may hold other ISO-8601 widths (a bulk load, an import), and {@code 01.000400Z} sorted before
     * {@code 01.000Z}: such an event was left out of a replay from the instant.
     */
    private static PreparedStatement lastIndexBefore(Connection connection, EventSchema schema, Instant instant)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(
                "SELECT min(" + schema.globalIndexColumn() + ") - 1 FROM " + schema.domainEventTable()
                + " WHERE CAST(" + schema.timestampColumn() + " AS timestamptz) >= ?");
        statement.setObject(1, instant.atOffset(ZoneOffset.UTC));
        return statement;
    }

    /**
     * No token at all: a stream from it reads from the first index, and its first read keeps every index below its
     * first event as a gap until proved empty. Axon's tail token is the lowest visible index less one, without gaps,
     * so an event of a transaction still open below it would never be read (a processor started, or replayed from
     * scratch, while commands run).
     */
    @Override
    public TrackingToken createTailToken() {
        return null;
    }

    /** Axon's head token, with every index at or below it that no visible event holds kept as a gap. */
    @Override
    public TrackingToken createHeadToken() {
        return withUnfilledIndexesAsGaps(super.createHeadToken());
    }

    /**
     * Axon's token before the first event at or after {@code dateTime}, with every index at or below it that no
     * visible event holds kept as a gap: an open transaction's event there may still commit (a replay from an
     * instant while commands run).
     */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return withUnfilledIndexesAsGaps(super.createTokenAt(dateTime));
    }

    private TrackingToken withUnfilledIndexesAsGaps(TrackingToken token) {
        if (!(token instanceof GapAwareTrackingToken at) || at.getIndex() < 1) {
            return token;
        }
        String index = schema().globalIndexColumn();
        List<Long> unfilled = JdbcUtils.executeQuery(getConnection(), connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "SELECT i FROM generate_series(1, ?) i WHERE NOT EXISTS (SELECT 1 FROM "
                    + schema().domainEventTable() + " e WHERE e." + index + " = i) ORDER BY i");
            statement.setLong(1, at.getIndex());
            return statement;
        }, JdbcUtils.listResults(result -> result.getLong(1)), failure -> new EventStoreException(
                "Could not read the unfilled indexes below " + at.getIndex(), failure));
        // a token's index is an event it has passed: unfilled indexes at its top are simply read above it
        long top = at.getIndex();
        while (!unfilled.isEmpty() && unfilled.get(unfilled.size() - 1) == top) {
            unfilled = unfilled.subList(0, unfilled.size() - 1);
            top--;
        }
        return top < 1 ? null : GapAwareTrackingToken.newInstance(top, unfilled);
    }

    /**
     * One read of a processor's stream: at most a batch of the tracked events after {@code token}, upcast and
     * deserialized as the stream's are, and how many the store returned.
     */
    Batch readBatch(TrackingToken token) {
        List<? extends TrackedEventData<?>> read = fetchTrackedEvents(token, batchSize());
        TrackingToken last = read.isEmpty() ? token : read.get(read.size() - 1).trackingToken();
        return new Batch(read.size(), last, EventUtils.upcastAndDeserializeTrackedEvents(
                read.stream(), getEventSerializer(), upcasterChain).toList());
    }

    /** What one read returned: {@code read} entries of the store, the last one's token, and their messages. */
    record Batch(int read, TrackingToken last, List<TrackedEventMessage<?>> events) {
    }

    @Override
    protected PreparedStatement readEventDataWithoutGaps(Connection connection, long globalIndex, int batchSize)
            throws SQLException {
        return readEventData(connection, globalIndex, batchSize, List.of());
    }

    @Override
    protected PreparedStatement readEventDataWithGaps(Connection connection, long globalIndex, int batchSize,
                                                      List<Long> gaps) throws SQLException {
        return readEventData(connection, globalIndex, batchSize, gaps);
    }

    /**
     * The rows, each with its snapshot's {@code xmin} and, on a row with a gap below it that has no bound yet, a bound:
     * a transaction id the read takes after its snapshot. The read takes it only where a gap needs it (the row jumps
     * past an index, or the token's gaps came without bounds), so a stream without gaps takes none. The bound is left
     * out when the transaction had an id before the statement (it wrote before it read): that id may be older than
     * the gap's. The check runs once, before any row takes an id, as an uncorrelated subquery (an InitPlan).
     */
    private PreparedStatement readEventData(Connection connection, long globalIndex, int batchSize, List<Long> gaps)
            throws SQLException {
        String index = schema().globalIndexColumn();
        PreparedStatement statement = connection.prepareStatement(
                "SELECT " + schema().trackedEventFields() + ","
                + " pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS " + SNAPSHOT_XMIN + ","
                + " CASE WHEN (SELECT pg_current_xact_id_if_assigned()) IS NULL"
                + "       AND (? OR " + index + " - lag(" + index + ", 1, CAST(? AS bigint)) OVER (ORDER BY " + index
                + ") > 1)"
                + "      THEN pg_current_xact_id()::text::bigint END AS " + GAP_BOUND
                + " FROM " + schema().domainEventTable()
                + " WHERE (" + index + " > ? AND " + index + " <= ?) OR " + index + " = ANY (?)"
                + " ORDER BY " + index + " ASC");
        statement.setBoolean(1, gaps.stream().anyMatch(gap -> !gapBounds.containsKey(gap)));
        statement.setLong(2, globalIndex);
        statement.setLong(3, globalIndex);
        statement.setLong(4, globalIndex + batchSize);
        statement.setArray(5, connection.createArrayOf("bigint", gaps.toArray()));
        return statement;
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        DomainEventData<?> event = (DomainEventData<?>) super.getTrackedEventData(resultSet, previousToken);
        long index = resultSet.getLong(schema().globalIndexColumn());
        gapBounds.remove(index);
        GapAwareTrackingToken advanced = previousToken == null
                ? GapAwareTrackingToken.newInstance(index, LongStream.range(1, index).boxed()
                                                                     .collect(Collectors.toCollection(TreeSet::new)))
                : previousToken.advanceTo(index, Integer.MAX_VALUE);
        long xmin = resultSet.getLong(SNAPSHOT_XMIN);
        long bound = resultSet.getLong(GAP_BOUND);
        return new TrackedDomainEventData<>(
                withoutProvenEmptyGaps(advanced, index, xmin, resultSet.wasNull() ? null : bound), event);
    }

    /**
     * Drops the gaps below {@code index} whose transactions have ended: the rows come in index order, so had such a
     * transaction committed, its event would have come before this one. A gap above it (this event filled an older
     * gap) may still come later in the same answer, so it waits for a later row. A gap seen for the first time gets
     * this read's {@code bound}; without one (null) it waits for a read that has one.
     */
    private GapAwareTrackingToken withoutProvenEmptyGaps(GapAwareTrackingToken token, long index, long xmin,
                                                         Long bound) {
        if (token.getGaps().isEmpty() || token.getGaps().first() > index) {
            return token;
        }
        if (gapBounds.size() > MAX_REMEMBERED_GAPS) {
            gapBounds.clear();
        }
        SortedSet<Long> open = new TreeSet<>(token.getGaps().tailSet(index));
        for (Long gap : token.getGaps().headSet(index)) {
            Long known = bound == null ? gapBounds.get(gap) : gapBounds.computeIfAbsent(gap, unseen -> bound);
            if (known != null && known <= xmin) {
                gapBounds.remove(gap);
            } else {
                open.add(gap);
            }
        }
        return open.size() == token.getGaps().size()
               ? token : GapAwareTrackingToken.newInstance(token.getIndex(), open);
    }
}
