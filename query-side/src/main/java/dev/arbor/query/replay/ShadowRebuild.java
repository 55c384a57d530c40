package dev.arbor.query.replay;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.processing.progress.ProcessorTokens;
import dev.arbor.query.processing.scratch.ReadModelProjections;
import dev.arbor.query.processing.scratch.ReadModelSchema;
import dev.arbor.platform.eventstore.StoredEvents;
import dev.arbor.query.processing.segments.TreeSequencingPolicy;
import jakarta.annotation.PreDestroy;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Rebuilds the read model without downtime: from the event store into a shadow set of tables
 * ({@value #SHADOW}) while the live tables keep serving and the live processor keeps updating them, then switches
 * over in one short transaction.
 * <p>
 * The shadow is filled in batches up to the position every live segment has processed. The switch then locks the
 * live tables (queries and processor batches wait, nothing fails), folds into the shadow exactly the remaining events
 * the live tokens have processed, so the shadow matches those tokens as the live tables did, and swaps the tables
 * (keeping their index names, which migrations refer to). The processor's tokens are untouched: it goes on from where
 * it was, now into the rebuilt tables.
 */
@Component
class ShadowRebuild {

    static final String SHADOW = "read_model_shadow";
    private static final Logger log = LoggerFactory.getLogger(ShadowRebuild.class);
    private static final int BATCH = 1000;
    private static final int SWITCH_ATTEMPTS = 3;

    /** Where a rebuild is: IDLE, BUILDING, SWITCHING, DONE or FAILED. */
    record Status(String state, long folded, long head, Instant startedAt, Instant finishedAt,
                  List<String> unprojectableEvents, String error) {

        static final Status IDLE = new Status("IDLE", -1, -1, null, null, List.of(), null);

        boolean running() {
            return state.equals("BUILDING") || state.equals("SWITCHING");
        }

        Status at(String newState, long newFolded, long newHead) {
            return new Status(newState, newFolded, newHead, startedAt, finishedAt, unprojectableEvents, error);
        }
    }

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transaction;
    private final ReadModelSchema shadow;
    private final StoredEvents events;
    private final ProcessorTokens tokens;
    private final TreeSequencingPolicy sequencing;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "read-model-rebuild"));
    private final AtomicReference<Status> status = new AtomicReference<>(Status.IDLE);
    private final List<String> unprojectable = new ArrayList<>();

    ShadowRebuild(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions,
                  ReadModelSchema shadow, StoredEvents events, ProcessorTokens tokens,
                  TreeSequencingPolicy sequencing) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transaction = new TransactionTemplate(transactions);
        this.shadow = shadow;
        this.events = events;
        this.tokens = tokens;
        this.sequencing = sequencing;
    }

    Status status() {
        return status.get();
    }

    /**
     * Starts a rebuild in the background: one at a time in the whole deployment, since every node would build into
     * the same shadow tables (a second node's start dropped the first one's shadow under it, which then switched in a
     * model missing the events it had folded before).
     */
    synchronized Status start() {
        if (status.get().running()) {
            throw new RuleViolation(ErrorCode.PROCESSOR_BUSY, "A rebuild is already running on this node.");
        }
        DeploymentWideLock lock = new DeploymentWideLock(dataSource, SHADOW,
                                                         "A rebuild is already running on another query node.");
        try {
            unprojectable.clear();
            status.set(new Status("BUILDING", -1, events.head(), Instant.now(), null, List.of(), null));
            worker.submit(() -> {
                try (lock) {
                    rebuild(lock);
                }
            });
        } catch (RuntimeException | Error notStarted) {
            // held by nobody's rebuild, the lock would refuse every node's until this one restarts
            status.set(Status.IDLE);
            lock.close();
            throw notStarted;
        }
        return status.get();
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    private void rebuild(DeploymentWideLock lock) {
        try {
            transaction.executeWithoutResult(tx -> shadow.create(SHADOW));
            long folded = -1;
            long target = tokens.processedThroughout(ProcessingGroups.PROJECTION);
            while (target - folded > BATCH / 10) {
                long upTo = Math.min(target, folded + BATCH);
                long after = folded;
                transaction.executeWithoutResult(tx -> foldIntoShadow(after, upTo, false));
                folded = upTo;
                status.set(status.get().at("BUILDING", folded, events.head()));
                target = tokens.processedThroughout(ProcessingGroups.PROJECTION);
            }
            refuseToSwitchWithoutEveryEvent();
            status.set(status.get().at("SWITCHING", folded, events.head()));
            long switchFrom = folded;
            // a lock whose connection broke is gone, and another node may have started building into the shadow
            lock.requireHeld();
            int foldedBeforeTheSwitch = unprojectable.size();
            for (int attempt = 1; ; attempt++) {
                try {
                    folded = transaction.execute(tx -> switchOver(switchFrom));
                    status.set(status.get().at("SWITCHING", folded, folded));
                    break;
                } catch (PessimisticLockingFailureException deadlock) {
                    // a live batch took the same locks in another order; the switch rolled back whole, so try again
                    if (attempt == SWITCH_ATTEMPTS) {
                        throw deadlock;
                    }
                    unprojectable.subList(foldedBeforeTheSwitch, unprojectable.size()).clear();
                }
            }
            finish("DONE", null);
        } catch (RuntimeException failure) {
            log.error("Rebuilding the read model failed; the live tables are untouched", failure);
            shadow.drop(SHADOW);
            finish("FAILED", failure.toString());
        }
    }

    private void finish(String state, String error) {
        Status last = status.get();
        status.set(new Status(state, last.folded(), last.head(), last.startedAt(), Instant.now(),
                              List.copyOf(unprojectable), error));
    }

    /**
     * A shadow that could not fold an event still parked in the dead letters does not replace the live tables: the
     * live processor parked it and its organization's later events, while the shadow folded the later ones without
     * it, so a retry after the switch would find rows already past it and change nothing. Fix the cause (and retry),
     * then rebuild again. An event whose dead letter was evicted is one the operator gave up on: left out, as live.
     */
    private void refuseToSwitchWithoutEveryEvent() {
        List<String> parked = unprojectable.isEmpty() ? List.of() : jdbc.sql("""
                SELECT DISTINCT event_identifier FROM read_model.dead_letter_entry
                 WHERE processing_group = ? AND event_identifier = ANY (?)""")
                .params(ProcessingGroups.PROJECTION,
                        unprojectable.stream().map(ReadModelProjections::eventIdOf).toArray(String[]::new))
                .query(String.class).list();
        if (!parked.isEmpty()) {
            throw new IllegalStateException(parked.size() + " events parked in the dead letters could not be folded "
                    + "into the rebuilt tables either (" + parked.get(0) + (parked.size() > 1 ? ", ..." : "")
                    + "); the live tables stay. Fix their cause and retry them, then rebuild again.");
        }
    }

    /** Folds the events after {@code after} up to {@code upTo} into the shadow; only those processed live if asked. */
    private void foldIntoShadow(long after, long upTo, boolean onlyProcessedLive) {
        Predicate<TrackedEventMessage<?>> folded = onlyProcessedLive
                ? tokens.processedBy(ProcessingGroups.PROJECTION, sequencing) : event -> true;
        unprojectable.addAll(shadow.fold(SHADOW, after, upTo, folded).unprojectable());
    }

    /** Swaps the shadow in, caught up with the live tokens; answers the position of the last event it looked at. */
    private long switchOver(long folded) {
        jdbc.sql("LOCK TABLE " + ReadModelProjections.TABLES.stream().map(table -> "read_model." + table)
                                                                   .collect(Collectors.joining(", "))
                         + " IN ACCESS EXCLUSIVE MODE").update();
        long head = events.head();
        foldIntoShadow(folded, head, true);
        refuseToSwitchWithoutEveryEvent();
        Map<String, String> liveIndexNames = indexNamesByDefinition("read_model");
        for (String table : ReadModelProjections.TABLES) {
            jdbc.sql("DROP TABLE read_model." + table).update();
            jdbc.sql("ALTER TABLE " + SHADOW + "." + table + " SET SCHEMA read_model").update();
        }
        indexNamesByDefinition("read_model").forEach((definition, name) -> {
            String liveName = liveIndexNames.get(definition);
            if (liveName != null && !liveName.equals(name)) {
                jdbc.sql("ALTER INDEX read_model." + name + " RENAME TO " + liveName).update();
            }
        });
        jdbc.sql("DROP SCHEMA " + SHADOW).update();
        return head;
    }

    /** The indexes of the read-model tables in {@code schema}, by their definition without their own name. */
    private Map<String, String> indexNamesByDefinition(String schema) {
        return jdbc.sql("""
                        SELECT indexname,
                               regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \\S+ ON ', 'CREATE \\1INDEX ON ')
                                   AS definition
                          FROM pg_indexes WHERE schemaname = ? AND tablename = ANY (?)""")
                   .params(schema, ReadModelProjections.TABLES.toArray(String[]::new))
                   .query((rs, row) -> Map.entry(rs.getString("definition"), rs.getString("indexname")))
                   .list().stream()
                   .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
