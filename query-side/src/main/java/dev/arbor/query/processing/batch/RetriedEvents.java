package dev.arbor.query.processing.batch;

import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events of a processor's batch that failed, and how the batch's retry runs each of them:
 * <ul>
 *     <li>with its statements at once, when the statements that waited for the batch ({@link BatchedStatements})
 *     failed together: only then does a failing statement fail its own event's handler;</li>
 *     <li>alone, in a savepoint ({@link SavepointOnRetry}), when its own handling failed: if it fails again, it is
 *     parked and the batch goes on.</li>
 * </ul>
 * Only the events that failed take a savepoint, one each: past 64 in one transaction, PostgreSQL's subtransaction
 * cache overflows and every session of the database slows down.
 * <p>
 * Each processor handles every event, so an event is remembered per processor ({@link #handledBy}): the audit
 * processor settling an event the account processor failed on must not make the account processor's retry batch it
 * again.
 */
@Component
class RetriedEvents {

    private static final String PROCESSING_GROUP = RetriedEvents.class.getName() + ".processingGroup";

    private final Set<String> withStatementsAtOnce = ConcurrentHashMap.newKeySet();
    private final Set<String> alone = ConcurrentHashMap.newKeySet();

    static boolean inBatch() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork;
    }

    /** Names the processor of the batch being handled: a batch's events all belong to one. */
    static void handledBy(String processingGroup) {
        if (inBatch()) {
            CurrentUnitOfWork.get().root().resources().put(PROCESSING_GROUP, processingGroup);
        }
    }

    /** Asked for every event a handler takes: while nothing has failed, it answers without building a key. */
    boolean runsStatementsAtOnce(String eventId) {
        if (withStatementsAtOnce.isEmpty() && alone.isEmpty()) {
            return false;
        }
        String key = key(eventId);
        return withStatementsAtOnce.contains(key) || alone.contains(key);
    }

    boolean runsAlone(String eventId) {
        return !alone.isEmpty() && alone.contains(key(eventId));
    }

    void statementsFailed(Collection<String> eventIds) {
        eventIds.forEach(eventId -> withStatementsAtOnce.add(key(eventId)));
    }

    void handlingFailed(String eventId) {
        alone.add(key(eventId));
    }

    /**
     * The event was handled, or parked. In a batch it keeps its place until the batch commits: every handler of the
     * event runs the same way, and if another event fails the batch, this one runs the same way on the next retry.
     */
    void settled(String eventId) {
        if (!runsStatementsAtOnce(eventId)) {
            return;
        }
        String key = key(eventId);
        if (inBatch()) {
            CurrentUnitOfWork.get().afterCommit(batch -> forget(key));
        } else {
            forget(key);
        }
    }

    private void forget(String key) {
        withStatementsAtOnce.remove(key);
        alone.remove(key);
    }

    /** The event in the current batch's processor; outside a batch (a dead letter retried alone), the event alone. */
    private static String key(String eventId) {
        Object group = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root().getResource(PROCESSING_GROUP)
                                                     : null;
        return group + "/" + eventId;
    }
}
