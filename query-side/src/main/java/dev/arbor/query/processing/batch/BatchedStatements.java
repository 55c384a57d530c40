package dev.arbor.query.processing.batch;

import dev.arbor.query.processing.ReadModelWriter;
import dev.arbor.query.processing.ReadModelWriter.Phase;
import dev.arbor.query.processing.ReadModelWriter.Write;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.BatchUpdateException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writes projections hand to {@link ReadModelWriter#add}, run together instead of one by one. In a processor's
 * batch they wait until the batch is about to commit, and each {@link Write} then gets every row the batch gave it at
 * once: a JDBC batch (a few hundred statements per round trip, {@link ReadModelWriter#statement}), or a set-based
 * statement of the projection's own. Running each would cost a round trip of its own, and the query side's
 * connections spent most of a replay idle in transaction, waiting on those (docs/performance.md). Folds into scratch
 * or shadow tables batch their writes the same way ({@link #inOneBatch}). Outside a batch (a dead letter retried
 * alone), and for the events of a batch whose writes failed ({@link RetriedEvents}), a write runs at once with its one
 * row. The order they run in is {@link ReadModelWriter}'s: by {@link Phase}, each write's rows in the order they came.
 */
@Component
public class BatchedStatements {

    private static final String PENDING = BatchedStatements.class.getName() + ".pending";

    private final JdbcTemplate jdbc;
    private final RetriedEvents retried;
    private final ThreadLocal<Pending> fold = new ThreadLocal<>();

    BatchedStatements(JdbcTemplate jdbc, RetriedEvents retried) {
        this.jdbc = jdbc;
        this.retried = retried;
    }

    /** Runs {@code write} for {@code row} with the batch, or at once outside one. */
    public void add(Phase phase, Write write, Map<String, ?> row) {
        if (fold.get() != null) {
            fold.get().add(phase, write, row);
        } else if (RetriedEvents.inBatch()
                   && !retried.runsStatementsAtOnce(CurrentUnitOfWork.get().getMessage().getIdentifier())) {
            pendingOfThisBatch().add(phase, write, row);
        } else {
            flush();
            Pending alone = new Pending(false);
            alone.add(phase, write, row);
            alone.run();
        }
    }

    /**
     * Runs {@code work}, a fold of events outside a processor, with its writes batched, in the caller's transaction.
     * A failing write fails the whole fold: which event it came from, only the events one at a time can tell.
     */
    public void inOneBatch(Runnable work) {
        Pending pending = new Pending(false);
        fold.set(pending);
        try {
            work.run();
            pending.run();
        } finally {
            fold.remove();
        }
    }

    /** Runs every write of this batch that is still waiting, before a statement that must see their effects. */
    public void flush() {
        if (fold.get() != null) {
            fold.get().run();
        } else if (CurrentUnitOfWork.isStarted()) {
            Pending pending = CurrentUnitOfWork.get().root().getResource(PENDING);
            if (pending != null) {
                pending.run();
            }
        }
    }

    private Pending pendingOfThisBatch() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING, key -> {
            Pending pending = new Pending(true);
            batch.onPrepareCommit(committing -> pending.run());
            return pending;
        });
    }

    /**
     * The writes of a batch failed; the batch is retried with its events' writes run at once. The message is the
     * database's, without the driver's copy of the statement and its values (names, emails) that a JDBC batch's error
     * carries.
     */
    static final class BatchFailed extends RuntimeException {

        BatchFailed(int events, RuntimeException failure) {
            super("The writes of a batch of " + events + " events failed; the batch is retried with each event's"
                  + " writes run at once: " + databaseError(failure));
        }

        private static String databaseError(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof BatchUpdateException batch && batch.getNextException() != null) {
                    return batch.getNextException().getMessage();
                }
            }
            return String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure).getMessage());
        }
    }

    /** Rows by phase and write, with the events they came from when they wait for a batch. */
    private final class Pending {

        private final Map<Phase, Map<Write, List<Map<String, ?>>>> writes = new EnumMap<>(Phase.class);
        private final Set<String> events = new LinkedHashSet<>();
        private final boolean ofBatch;

        Pending(boolean ofBatch) {
            this.ofBatch = ofBatch;
        }

        void add(Phase phase, Write write, Map<String, ?> row) {
            writes.computeIfAbsent(phase, p -> new LinkedHashMap<>())
                  .computeIfAbsent(write, w -> new ArrayList<>())
                  .add(row);
            if (ofBatch) {
                events.add(CurrentUnitOfWork.get().getMessage().getIdentifier());
            }
        }

        void run() {
            if (writes.isEmpty()) {
                return;
            }
            try {
                jdbc.execute((ConnectionCallback<Void>) connection -> {
                    for (Map<Write, List<Map<String, ?>>> phase : writes.values()) {
                        for (Map.Entry<Write, List<Map<String, ?>>> write : phase.entrySet()) {
                            write.getKey().run(connection, write.getValue());
                        }
                    }
                    return null;
                });
            } catch (RuntimeException failure) {
                if (!ofBatch) {
                    throw failure;
                }
                // Which row failed, and so which event, only a run of the events one by one can tell.
                retried.statementsFailed(events);
                throw new BatchFailed(events.size(), failure);
            } finally {
                writes.clear();
                events.clear();
            }
        }
    }
}
