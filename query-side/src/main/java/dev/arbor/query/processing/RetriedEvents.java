package dev.arbor.query.processing;

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
 */
@Component
class RetriedEvents {

    private final Set<String> withStatementsAtOnce = ConcurrentHashMap.newKeySet();
    private final Set<String> alone = ConcurrentHashMap.newKeySet();

    static boolean inBatch() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork;
    }

    boolean runsStatementsAtOnce(String eventId) {
        return withStatementsAtOnce.contains(eventId) || alone.contains(eventId);
    }

    boolean runsAlone(String eventId) {
        return alone.contains(eventId);
    }

    void statementsFailed(Collection<String> eventIds) {
        withStatementsAtOnce.addAll(eventIds);
    }

    void handlingFailed(String eventId) {
        alone.add(eventId);
    }

    /**
     * The event was handled, or parked. In a batch it keeps its place until the batch commits: every handler of the
     * event runs the same way, and if another event fails the batch, this one runs the same way on the next retry.
     */
    void settled(String eventId) {
        if (!runsStatementsAtOnce(eventId)) {
            return;
        }
        if (inBatch()) {
            CurrentUnitOfWork.get().afterCommit(batch -> forget(eventId));
        } else {
            forget(eventId);
        }
    }

    private void forget(String eventId) {
        withStatementsAtOnce.remove(eventId);
        alone.remove(eventId);
    }
}
