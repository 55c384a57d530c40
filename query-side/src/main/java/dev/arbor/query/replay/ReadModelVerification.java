package dev.arbor.query.replay;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.processing.progress.ProcessorTokens;
import dev.arbor.query.processing.scratch.ReadModelProjections;
import dev.arbor.query.processing.scratch.ReadModelSchema;
import dev.arbor.platform.eventstore.StoredEvents;
import dev.arbor.query.processing.segments.TreeSequencingPolicy;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Rebuilds the read model from the event store and diffs it against the live one, row by row. Exact while writes go
 * on: in one repeatable-read snapshot it reads the projection's tokens and copies the rows committed with them; it then
 * folds, in batches, exactly the events those tokens say were processed (each on its segment) into a scratch set of
 * tables, and diffs the two. A row that differs, is missing or should not exist is a mismatch, and so is an event the
 * projections cannot handle (it sits in the dead-letter queue).
 * <p>
 * In the same snapshot it checks the audit log against the store: every event at or below the position the audit
 * processor has passed on every segment is in it, once. A processor's stream that passed over a committed event
 * shows there even when no row of the read model differs.
 * <p>
 * The fold may run after the snapshot because the events it takes are fixed by then: the store only ever appends,
 * and a token never has behind it an event whose transaction was still open when the token was written (the gap-safe
 * storage engine keeps such a position as a gap until it is read). One verification runs at a time, in the whole
 * deployment, as the scratch tables have one name.
 */
@Component
class ReadModelVerification {

    private static final String SCRATCH = "read_model_verify";
    private static final String LIVE_COPY = "live_";
    private static final int BATCH = 1000;
    /** The table of a mismatch between an account's rolled-up usage and its subtree's usage. */
    static final String SUBTREE_USAGE = "account.subtree_usage";

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transaction;
    private final TransactionTemplate snapshot;
    private final ReadModelSchema scratch;
    private final StoredEvents events;
    private final TreeSequencingPolicy sequencing;
    private final ProcessorTokens tokens;

    ReadModelVerification(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions,
                          ReadModelSchema scratch, StoredEvents events, TreeSequencingPolicy sequencing,
                          ProcessorTokens tokens) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transaction = new TransactionTemplate(transactions);
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

    /**
     * {@code consistent} when nothing differs, every event could be projected, and the audit log has every event it
     * should, once.
     */
    record Report(boolean consistent, long eventsFolded, Map<String, Long> rowsChecked, List<Mismatch> mismatches,
                  List<String> unprojectableEvents, AuditLogCheck auditLog) {

        static Report of(long eventsFolded, Map<String, Long> rowsChecked, List<Mismatch> mismatches,
                         List<String> unprojectableEvents, AuditLogCheck auditLog) {
            return new Report(mismatches.isEmpty() && unprojectableEvents.isEmpty() && auditLog.complete(),
                              eventsFolded, rowsChecked, mismatches, List.copyOf(unprojectableEvents), auditLog);
        }
    }

    /**
     * The audit log against the store, through {@code checkedThrough} (the position every segment of the audit
     * processor has reached; -1 before it started), but for the {@code gapsAwaited} positions some segment still
     * holds as gaps (seen empty, not yet proved empty for good: an idle processor proves its last ones only when the
     * next event comes): how many stored events it lacks and the first of their positions, and the first positions of
     * events it holds more than once (one event, by aggregate and sequence number, at several positions) or that the
     * store does not hold.
     */
    record AuditLogCheck(long checkedThrough, int gapsAwaited, long missing, List<Long> firstMissing,
                         List<Long> doubled, List<Long> unknown) {

        static final int SHOWN = 20;

        boolean complete() {
            return missing == 0 && doubled.isEmpty() && unknown.isEmpty();
        }
    }

    /** What the snapshot fixed: which events the live rows have behind them, and the last position to look at. */
    private record Snapshot(Predicate<TrackedEventMessage<?>> processed, long head, AuditLogCheck auditLog) {
    }

    Report verify() {
        try (DeploymentWideLock ignored = new DeploymentWideLock(dataSource, SCRATCH,
                "A verification is already running; try again when it has finished.")) {
            try {
                Snapshot live = snapshot.execute(status -> copyLiveRows());
                long folded = 0;
                List<String> unprojectable = new ArrayList<>();
                for (long after = -1; after < live.head(); after += BATCH) {
                    long from = after;
                    ReadModelSchema.Folded batch = transaction.execute(status -> scratch.fold(
                            SCRATCH, from, Math.min(from + BATCH, live.head()), live.processed()));
                    folded += batch.events();
                    unprojectable.addAll(batch.unprojectable());
                }
                return Report.of(folded, rowCounts(), mismatches(), unprojectable, live.auditLog());
            } finally {
                scratch.drop(SCRATCH);
            }
        }
    }

    private Snapshot copyLiveRows() {
        Snapshot live = new Snapshot(tokens.processedBy(ProcessingGroups.PROJECTION, sequencing), events.head(),
                                     checkAuditLog(tokens.passed(ProcessingGroups.AUDIT)));
        scratch.createScratch(SCRATCH);
        ReadModelProjections.TABLES.forEach(table -> jdbc.sql(
                "CREATE UNLOGGED TABLE %s.%s AS SELECT * FROM read_model.%s".formatted(SCRATCH, LIVE_COPY + table,
                                                                                        table)).update());
        return live;
    }

    /**
     * In the snapshot of the audit processor's tokens: the audit rows committed with them hold every event through
     * {@code passed.through()} but at its gaps, since a token passes a position only once its event is processed or
     * seen not to exist, and holds it as a gap until that is proved for good.
     */
    private AuditLogCheck checkAuditLog(ProcessorTokens.Passed passed) {
        record Missing(long count, List<Long> first) {
        }
        long through = passed.through();
        Missing missing = jdbc.sql("""
                                   SELECT count(*), (array_agg(e.global_index ORDER BY e.global_index))[1:?]
                                     FROM event_store.domain_event_entry e
                                    WHERE e.global_index <= ? AND NOT e.global_index = ANY (?)
                                      AND NOT EXISTS (SELECT 1 FROM read_model.audit_log a
                                                       WHERE a.position = e.global_index)""")
                              .params(AuditLogCheck.SHOWN, through, passed.gaps().toArray(Long[]::new))
                              .query((rs, row) -> new Missing(rs.getLong(1), rs.getArray(2) == null ? List.of()
                                      : List.of((Long[]) rs.getArray(2).getArray())))
                              .single();
        List<Long> doubled = positions("""
                SELECT position FROM (SELECT position, count(*) OVER (PARTITION BY aggregate_id, sequence) AS copies
                                        FROM read_model.audit_log WHERE position <= ?) a
                 WHERE copies > 1 ORDER BY 1 LIMIT ?""", through);
        List<Long> unknown = positions("""
                SELECT a.position FROM read_model.audit_log a
                 WHERE a.position <= ?
                   AND NOT EXISTS (SELECT 1 FROM event_store.domain_event_entry e
                                    WHERE e.global_index = a.position AND e.aggregate_identifier = a.aggregate_id
                                      AND e.sequence_number = a.sequence)
                 ORDER BY 1 LIMIT ?""", through);
        return new AuditLogCheck(through, passed.gaps().size(), missing.count(), missing.first(), doubled, unknown);
    }

    private List<Long> positions(String query, long through) {
        return jdbc.sql(query).params(through, AuditLogCheck.SHOWN).query(Long.class).list();
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new HashMap<>();
        ReadModelProjections.TABLES.forEach(table -> counts.put(
                table, jdbc.sql("SELECT count(*) FROM " + SCRATCH + "." + LIVE_COPY + table)
                           .query(Long.class).single()));
        return counts;
    }

    private List<Mismatch> mismatches() {
        return Stream.concat(ReadModelProjections.TABLES.stream().flatMap(this::mismatches), subtreeUsageMismatches())
                     .toList();
    }

    /**
     * The live rows' usage rolled up over their subtrees, against the sums of their subtrees' own usage. The fold
     * above runs the projection's own code, so it would repeat a mistake in keeping those sums by difference; this
     * recomputes them from the rows: for each account, every counter of the account itself and of its live
     * descendants, summed, with how many of them report it.
     */
    private Stream<Mismatch> subtreeUsageMismatches() {
        return jdbc.sql("""
                        WITH counters AS (SELECT ancestor AS id, u.key, sum(CAST(u.value AS bigint)) AS sum,
                                                 count(*) AS accounts
                                            FROM %1$s.%2$s r, unnest(r.path) AS ancestor, jsonb_each_text(r.usage) u
                                           WHERE r.status <> 'DELETED' OR ancestor = r.id
                                           GROUP BY ancestor, u.key),
                             expected AS (SELECT id, jsonb_object_agg(key, jsonb_build_object('sum', sum,
                                                                                              'accounts', accounts))
                                                     AS subtree_usage
                                            FROM counters GROUP BY id)
                        SELECT a.id, COALESCE(e.subtree_usage, '{}')::text AS expected,
                               a.subtree_usage::text AS actual
                          FROM %1$s.%2$s a LEFT JOIN expected e ON e.id = a.id
                         WHERE a.subtree_usage <> COALESCE(e.subtree_usage, '{}')
                         ORDER BY 1 LIMIT 1000""".formatted(SCRATCH, LIVE_COPY + "account"))
                   .query((rs, row) -> new Mismatch(SUBTREE_USAGE, rs.getString("id"), rs.getString("expected"),
                                                    rs.getString("actual")))
                   .list().stream();
    }

    /** Rows that differ between the rebuilt table and the copy of the live one, matched by id. */
    private Stream<Mismatch> mismatches(String table) {
        return jdbc.sql("""
                        WITH rebuilt AS (SELECT * FROM %1$s.%2$s EXCEPT SELECT * FROM %1$s.%3$s),
                             live AS (SELECT * FROM %1$s.%3$s EXCEPT SELECT * FROM %1$s.%2$s)
                        SELECT COALESCE(r.id, l.id) AS id, r::text AS expected, l::text AS actual
                          FROM rebuilt r FULL JOIN live l ON l.id = r.id
                         ORDER BY 1 LIMIT 1000""".formatted(SCRATCH, table, LIVE_COPY + table))
                   .query((rs, row) -> new Mismatch(table, rs.getString("id"), rs.getString("expected"),
                                                    rs.getString("actual")))
                   .list().stream();
    }
}
