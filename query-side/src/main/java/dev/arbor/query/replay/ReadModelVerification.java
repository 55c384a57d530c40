package dev.arbor.query.replay;

import dev.arbor.query.processing.ProcessorTokens;
import dev.arbor.query.processing.ReadModelPosition;
import dev.arbor.query.processing.ReadModelProjections;
import dev.arbor.query.processing.ScratchReadModel;
import dev.arbor.query.processing.StoredEvents;
import dev.arbor.query.processing.TreeSequencingPolicy;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
            Predicate<TrackedEventMessage<?>> processed = tokens.processedBy(ReadModelPosition.PROJECTION, sequencing);
            long head = events.head();
            AtomicLong folded = new AtomicLong();
            Supplier<Stream<TrackedEventMessage<?>>> upToHead = () -> {
                folded.set(0);
                return events.upTo(head).filter(processed).peek(event -> folded.incrementAndGet());
            };
            return scratch.fold(upToHead, unprojectable -> Report.of(
                    folded.get(), rowCounts(), ReadModelProjections.TABLES.stream().flatMap(this::mismatches).toList(),
                    unprojectable));
        });
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new HashMap<>();
        ReadModelProjections.TABLES.forEach(table -> counts.put(
                table, jdbc.sql("SELECT count(*) FROM read_model." + table).query(Long.class).single()));
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
