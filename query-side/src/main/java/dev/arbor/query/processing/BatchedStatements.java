package dev.arbor.query.processing;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.stereotype.Component;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Statements the projections hand over instead of running them one by one. In a processor's batch they wait until
 * the batch is about to commit and then go to PostgreSQL as JDBC batches, a few hundred statements per round trip,
 * where running each would cost a round trip of its own (the query side's connections spent most of a replay idle
 * in transaction, waiting on those; docs/performance.md). Outside a batch (folds into scratch or shadow tables, a
 * dead letter retried alone), and for an event whose earlier try failed, they run at once.
 * <p>
 * Waiting changes the order statements run in, so a projection hands over only statements that stay correct in the
 * order this class runs them:
 * <ul>
 *     <li>{@link Phase#CREATE}: inserts of new rows, which commute with each other (including an account's, which
 *     reads only its parent's place in the tree). They run first, each text's in the order they came.</li>
 *     <li>{@link Phase#CHANGE}: changes to existing rows that no {@code CREATE} reads, each text's in the order they
 *     came, after every {@code CREATE}: a row's changes come after its creation in any order of events.</li>
 * </ul>
 * Any other statement must see what waits before it runs: {@link #flush()} runs everything waiting first.
 */
@Component
public class BatchedStatements {

    public enum Phase { CREATE, CHANGE }

    private static final String PENDING = BatchedStatements.class.getName() + ".pending";

    private final JdbcTemplate jdbc;
    private final RetriedEvents retried;
    private final Map<String, ParsedSql> parsed = new ConcurrentHashMap<>();

    BatchedStatements(JdbcTemplate jdbc, RetriedEvents retried) {
        this.jdbc = jdbc;
        this.retried = retried;
    }

    /** Runs {@code sql} (named parameters) with the batch, or at once outside one. */
    public void add(Phase phase, String sql, Map<String, ?> parameters) {
        if (RetriedEvents.inBatch() && !retried.contains(CurrentUnitOfWork.get().getMessage().getIdentifier())) {
            pendingOfThisBatch().add(phase, sql, parameters);
        } else {
            flush();
            Pending alone = new Pending(false);
            alone.add(phase, sql, parameters);
            alone.run();
        }
    }

    /** Runs every statement of this batch that is still waiting, before one that must see their effects. */
    public void flush() {
        if (CurrentUnitOfWork.isStarted()) {
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
     * The statements of a batch failed; each of its events is retried alone. The message is the database's, without
     * the driver's copy of the statement and its values (names, emails) that a JDBC batch's error carries.
     */
    static final class BatchFailed extends RuntimeException {

        BatchFailed(int events, RuntimeException failure) {
            super("The statements of a batch of " + events + " events failed, so each event is retried alone: "
                  + databaseError(failure));
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

    /** Statements by phase and text, with the events they came from when they wait for a batch. */
    private final class Pending {

        private final Map<Phase, Map<String, List<Map<String, ?>>>> statements = new EnumMap<>(Phase.class);
        private final Set<String> events = new LinkedHashSet<>();
        private final boolean ofBatch;

        Pending(boolean ofBatch) {
            this.ofBatch = ofBatch;
        }

        void add(Phase phase, String sql, Map<String, ?> parameters) {
            statements.computeIfAbsent(phase, p -> new LinkedHashMap<>())
                      .computeIfAbsent(sql, s -> new ArrayList<>())
                      .add(parameters);
            if (ofBatch) {
                events.add(CurrentUnitOfWork.get().getMessage().getIdentifier());
            }
        }

        void run() {
            if (statements.isEmpty()) {
                return;
            }
            try {
                jdbc.execute((ConnectionCallback<Void>) connection -> {
                    for (Map<String, List<Map<String, ?>>> phase : statements.values()) {
                        for (Map.Entry<String, List<Map<String, ?>>> text : phase.entrySet()) {
                            execute(connection, text.getKey(), text.getValue());
                        }
                    }
                    return null;
                });
            } catch (RuntimeException failure) {
                if (!ofBatch) {
                    throw failure;
                }
                // Which statement failed, and so which event, only a run of the events one by one can tell.
                retried.add(events);
                throw new BatchFailed(events.size(), failure);
            } finally {
                statements.clear();
                events.clear();
            }
        }

        private void execute(Connection connection, String sql, List<Map<String, ?>> rows) throws SQLException {
            ParsedSql named = parsed.computeIfAbsent(sql, NamedParameterUtils::parseSqlStatement);
            try (PreparedStatement statement = connection.prepareStatement(
                    NamedParameterUtils.substituteNamedParameters(named, null))) {
                for (Map<String, ?> row : rows) {
                    Object[] values = NamedParameterUtils.buildValueArray(named, new MapSqlParameterSource(row), null);
                    for (int i = 0; i < values.length; i++) {
                        if (values[i] == null) {
                            // leaves the type to PostgreSQL, where asking the driver for it would cost a round trip
                            statement.setNull(i + 1, Types.OTHER);
                        } else {
                            statement.setObject(i + 1, values[i]);
                        }
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    }
}
