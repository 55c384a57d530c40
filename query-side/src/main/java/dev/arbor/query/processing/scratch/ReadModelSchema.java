package dev.arbor.query.processing.scratch;

import dev.arbor.platform.eventstore.StoredEvents;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A set of the read-model tables in a schema of its own, filled from the event store by the projections' own
 * handlers, one batch of events per transaction: the shadow a rebuild switches in, and the copy verification diffs
 * against the live tables.
 * <p>
 * Batches matter: a row updated many times in one transaction (an organization's counts, once per account created
 * below it) leaves a chain of row versions no one may prune until that transaction ends, and each update walks it.
 * Folding a whole store in one transaction is therefore quadratic in the updates to the busiest row.
 */
@Component
public class ReadModelSchema {

    private final JdbcClient jdbc;
    private final ReadModelProjections projections;
    private final StoredEvents events;

    ReadModelSchema(JdbcClient jdbc, ReadModelProjections projections, StoredEvents events) {
        this.jdbc = jdbc;
        this.projections = projections;
        this.events = events;
    }

    /** Creates {@code schema} afresh with empty read-model tables, dropping what a failed run left there. */
    public void create(String schema) {
        create(schema, "");
    }

    /** As {@link #create}, with unlogged tables: faster to fill, and lost on a crash, which a scratch copy may be. */
    public void createScratch(String schema) {
        create(schema, "UNLOGGED ");
    }

    private void create(String schema, String tableKind) {
        drop(schema);
        jdbc.sql("CREATE SCHEMA " + schema).update();
        ReadModelProjections.TABLES.forEach(table -> jdbc.sql(
                "CREATE " + tableKind + "TABLE " + schema + "." + table + " (LIKE read_model." + table
                + " INCLUDING ALL)").update());
    }

    /** How many events a fold applied, and the events the projections failed on, as {@code "id (type): cause"}. */
    public record Folded(long events, List<String> unprojectable) {
    }

    /**
     * Folds into {@code schema}'s tables, in the caller's transaction, the events after global index {@code after} up
     * to {@code upTo} that {@code which} accepts.
     */
    public Folded fold(String schema, long after, long upTo, Predicate<TrackedEventMessage<?>> which) {
        jdbc.sql("SET LOCAL search_path TO " + schema).update();
        AtomicLong folded = new AtomicLong();
        List<String> unprojectable = projections.project(() -> {
            folded.set(0); // the projections start over when an event fails
            return events.between(after, upTo).filter(which).peek(event -> folded.incrementAndGet());
        });
        jdbc.sql("SET LOCAL search_path TO read_model").update();
        return new Folded(folded.get(), unprojectable);
    }

    public void drop(String schema) {
        jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
    }
}
