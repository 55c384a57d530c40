package dev.arbor.platform.eventstore;

import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Events read straight from the event store, upcast and deserialized as Axon's own storage engine does, for what the
 * processors' stream does not answer: one aggregate's history, and the events of a set of aggregates up to an
 * instant. Each message is a tracked domain event: its token's position is the event's global index.
 * <p>
 * Only the query side reads events this way, so it declares the bean, with the event serializer.
 */
public class StoredEvents {

    private static final int CHUNK = 1000;
    private static final String SELECT = """
            SELECT global_index, type, aggregate_identifier, sequence_number, event_identifier, time_stamp,
                   payload_type, payload_revision, payload, meta_data
              FROM event_store.domain_event_entry
            """;

    private final JdbcClient jdbc;
    private final Serializer serializer;
    private final Configuration axon;

    public StoredEvents(JdbcClient jdbc, Serializer serializer, Configuration axon) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.axon = axon;
    }

    /**
     * At most {@code limit} events of one aggregate after sequence number {@code afterSequence}, in order, of those
     * the SQL condition {@code visible} admits ({@code aggregate_identifier} and {@code global_index} name the
     * event's); {@code bind} binds the condition's parameters. The query side passes its caller's scope here, so an
     * event outside it is never selected.
     */
    public List<TrackedEventMessage<?>> ofAggregate(UUID aggregateId, long afterSequence, int limit, String visible,
                                                    UnaryOperator<JdbcClient.StatementSpec> bind) {
        return deserialize(bind.apply(jdbc.sql(SELECT + """
                                     WHERE aggregate_identifier = :aggregate AND sequence_number > :after AND\s"""
                                               + visible + " ORDER BY sequence_number LIMIT :limit"))
                               .param("aggregate", aggregateId.toString())
                               .param("after", afterSequence)
                               .param("limit", limit)
                               .query(StoredEvents::entry)
                               .list());
    }

    /**
     * The events of the given aggregates appended at or before {@code upTo}, in the order of the store, read a chunk
     * at a time as the stream is consumed.
     */
    public Stream<TrackedEventMessage<?>> ofAggregates(Collection<UUID> aggregateIds, Instant upTo) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("ids", aggregateIds.stream().map(UUID::toString).toArray(String[]::new));
        parameters.put("upTo", upTo.atOffset(ZoneOffset.UTC));
        return inChunks("aggregate_identifier = ANY (:ids) AND CAST(time_stamp AS timestamptz) <= :upTo", parameters);
    }

    /** Every event up to and including global index {@code upTo}, in the order of the store, a chunk at a time. */
    public Stream<TrackedEventMessage<?>> upTo(long upTo) {
        return between(-1, upTo);
    }

    /** The events after global index {@code after} up to and including {@code upTo}, a chunk at a time. */
    public Stream<TrackedEventMessage<?>> between(long after, long upTo) {
        return inChunks("global_index <= :upTo", Map.of("upTo", upTo), after);
    }

    /** The global index of the last event appended (-1 for an empty store). */
    public long head() {
        return jdbc.sql("SELECT COALESCE(max(global_index), -1) FROM event_store.domain_event_entry")
                   .query(Long.class).single();
    }

    private Stream<TrackedEventMessage<?>> inChunks(String condition, Map<String, Object> parameters) {
        return inChunks(condition, parameters, -1);
    }

    private Stream<TrackedEventMessage<?>> inChunks(String condition, Map<String, Object> parameters, long after) {
        return Stream.iterate(chunk(condition, parameters, after), chunk -> !chunk.isEmpty(),
                              chunk -> chunk.size() < CHUNK ? List.of() : chunk(condition, parameters,
                                      chunk.get(chunk.size() - 1).trackingToken().position().orElseThrow()))
                     .flatMap(chunk -> deserialize(chunk).stream());
    }

    private List<TrackedDomainEventData<byte[]>> chunk(String condition, Map<String, Object> parameters, long after) {
        return jdbc.sql(SELECT + " WHERE " + condition + " AND global_index > :after ORDER BY global_index LIMIT "
                                + CHUNK)
                   .params(parameters)
                   .param("after", after)
                   .query(StoredEvents::entry)
                   .list();
    }

    private List<TrackedEventMessage<?>> deserialize(List<TrackedDomainEventData<byte[]>> entries) {
        return EventUtils.upcastAndDeserializeTrackedEvents(entries.stream(), serializer, axon.upcasterChain())
                         .toList();
    }

    private static TrackedDomainEventData<byte[]> entry(ResultSet rs, int row) throws SQLException {
        return new TrackedDomainEventData<>(
                new GlobalSequenceTrackingToken(rs.getLong("global_index")),
                new GenericDomainEventEntry<>(rs.getString("type"), rs.getString("aggregate_identifier"),
                                              rs.getLong("sequence_number"), rs.getString("event_identifier"),
                                              rs.getString("time_stamp"), rs.getString("payload_type"),
                                              rs.getString("payload_revision"), rs.getBytes("payload"),
                                              rs.getBytes("meta_data")));
    }
}
