package dev.arbor.query.processing.scratch;

import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A throwaway read model: empty temporary copies of the read-model tables, into which events are folded by the
 * projections' own event handlers, and which are then read by the views' own queries. Time travel uses it, so the
 * past state of an account is computed by exactly the code that keeps the live one. It folds in one transaction, so
 * it suits the events of a few accounts; {@link ReadModelSchema} folds a whole store.
 *
 * <p>It works because the read model's SQL names its tables without a schema: the connection's search_path points
 * at {@code read_model}, and inside a fold it points at this session's temporary schema instead. (PostgreSQL replans
 * a prepared statement when search_path changes, so no cached plan keeps writing to the live tables.) The transaction
 * is always rolled back, which drops the copies.
 */
@Component
public class ScratchReadModel {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ReadModelProjections projections;

    ScratchReadModel(JdbcClient jdbc, PlatformTransactionManager transactions, ReadModelProjections projections) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.projections = projections;
    }

    /**
     * Folds {@code events} (in order) into an empty scratch read model, and answers what {@code read} reads there,
     * handed the events that could not be projected (see {@link ReadModelProjections#project}): every caller decides
     * what a fold with a hole in it is worth. Joins the caller's transaction if there is one (and
     * marks it for rollback), so a caller can fold inside its own snapshot of the database.
     */
    public <T> T fold(Supplier<? extends Stream<? extends EventMessage<?>>> events, Function<List<String>, T> read) {
        return transaction.execute(status -> {
            status.setRollbackOnly();
            ReadModelProjections.TABLES.forEach(table -> jdbc.sql(
                    "CREATE TEMPORARY TABLE " + table + " (LIKE read_model." + table + " INCLUDING ALL) ON COMMIT DROP")
                                                              .update());
            jdbc.sql("SET LOCAL search_path TO pg_temp").update();
            return read.apply(projections.project(events));
        });
    }
}
