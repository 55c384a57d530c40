package dev.arbor.query.replay;

import dev.arbor.query.processing.ProcessorTokens;
import dev.arbor.query.processing.ReadModelPosition;
import dev.arbor.query.processing.ScratchReadModel;
import dev.arbor.query.processing.StoredEvents;
import dev.arbor.query.processing.TreeSequencingPolicy;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Rebuilds the read model from the event store and diffs it against the live one, row by row. Exact while writes go
 * on: in one repeatable-read snapshot it reads the projection's tokens, folds exactly the events those tokens say
 * were processed (each on its segment), and compares with the rows committed with those tokens. A row that differs,
 * is missing or should not exist is a mismatch, and so is an event the projections cannot handle (it sits in the
 * dead-letter queue).
 */
@Component
class ReadModelVerification {

    private static final List<String> TABLES = List.of("account", "app_user", "device");

    private final JdbcClient jdbc;
    private final TransactionTemplate snapshot;
    private final ScratchReadModel scratch;
    private final StoredEvents events;
    private final TreeSequencingPolicy sequencing;
    private final ProcessorTokens tokens;

    ReadModelVerification(JdbcClient jdbc, PlatformTransactionManager transactions, ScratchReadModel scratch,
                          StoredEvents events, TreeSequencingPolicy sequencing, ProcessorTokens tokens) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.scratch = scratch;
        this.events = events;
        this.sequencing = sequencing;
        this.tokens = tokens;
    }

    /** One difference: the table, the row's id, and both versions of the row as PostgreSQL prints them. */
    record Mismatch(String table, String id, String expected, String actual) {
    }

    /** {@code consistent} when nothing differs and every event could be projected. */
    record Report(boolean consistent, long eventsFolded, Map<String, Long> rowsChecked, List<Mismatch> mismatches,
                  List<String> unprojectableEvents) {

        static Report of(long eventsFolded, Map<String, Long> rowsChecked, List<Mismatch> mismatches,
                         List<String> unprojectableEvents) {
            return new Report(mismatches.isEmpty() && unprojectableEvents.isEmpty(), eventsFolded, rowsChecked,
                              mismatches, List.copyOf(unprojectableEvents));
        }
    }

    Report verify() {
        return snapshot.execute(status -> {
            status.setRollbackOnly();
            Map<Segment, TrackingToken> processedUpTo = tokens();
            long head = processedUpTo.values().stream().mapToLong(token -> position(token)).max().orElse(-1);
            AtomicLong folded = new AtomicLong();
            Stream<TrackedEventMessage<?>> processed = events.upTo(head)
                                                             .filter(event -> processed(event, processedUpTo))
                                                             .peek(event -> folded.incrementAndGet());
            return scratch.fold(processed, unprojectable -> Report.of(
                    folded.get(), rowCounts(), TABLES.stream().flatMap(this::mismatches).toList(), unprojectable));
        });
    }

    private Map<Segment, TrackingToken> tokens() {
        List<ProcessorTokens.Stored> stored = tokens.of(ReadModelPosition.PROJECTION);
        int[] ids = stored.stream().mapToInt(ProcessorTokens.Stored::segment).toArray();
        Map<Segment, TrackingToken> bySegment = new HashMap<>();
        stored.forEach(segment -> bySegment.put(Segment.computeSegment(segment.segment(), ids), segment.token()));
        return bySegment;
    }

    /** Whether the token of the event's segment has it behind it: then its effect is in the live rows. */
    private boolean processed(TrackedEventMessage<?> event, Map<Segment, TrackingToken> tokens) {
        Object sequence = Objects.requireNonNullElse(sequencing.getSequenceIdentifierFor(event),
                                                     event.getIdentifier());
        long position = event.trackingToken().position().orElseThrow();
        return tokens.entrySet().stream()
                     .filter(segment -> segment.getKey().matches(Objects.hashCode(sequence)))
                     .anyMatch(segment -> ProcessorTokens.covers(segment.getValue(), position));
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new HashMap<>();
        TABLES.forEach(table -> counts.put(table, jdbc.sql("SELECT count(*) FROM read_model." + table)
                                                        .query(Long.class).single()));
        return counts;
    }

    /** Rows that differ between the rebuilt table (in pg_temp) and the live one, matched by id. */
    private Stream<Mismatch> mismatches(String table) {
        return jdbc.sql("""
                        WITH rebuilt AS (SELECT * FROM pg_temp.%1$s EXCEPT SELECT * FROM read_model.%1$s),
                             live AS (SELECT * FROM read_model.%1$s EXCEPT SELECT * FROM pg_temp.%1$s)
                        SELECT COALESCE(r.id, l.id) AS id, r::text AS expected, l::text AS actual
                          FROM rebuilt r FULL JOIN live l ON l.id = r.id
                         ORDER BY 1 LIMIT 1000""".formatted(table))
                   .query((rs, row) -> new Mismatch(table, rs.getString("id"), rs.getString("expected"),
                                                    rs.getString("actual")))
                   .list().stream();
    }
}
