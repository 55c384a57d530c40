package dev.arbor.query.processing;

import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events whose first try in a processor's batch failed, so that the batch's retry runs each of them alone: its
 * handlers in a savepoint ({@link SavepointOnRetry}) and its statements at once ({@link BatchedStatements}).
 */
@Component
class RetriedEvents {

    private final Set<String> eventIds = ConcurrentHashMap.newKeySet();

    static boolean inBatch() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork;
    }

    boolean contains(String eventId) {
        return eventIds.contains(eventId);
    }

    void add(Collection<String> failed) {
        eventIds.addAll(failed);
    }

    /**
     * The event was handled alone, or parked. In a batch it stays on the list until the batch commits: every handler
     * of the event runs alone, and if another event fails the batch, this one runs alone again on the next retry.
     */
    void settled(String eventId) {
        if (inBatch()) {
            CurrentUnitOfWork.get().afterCommit(batch -> eventIds.remove(eventId));
        } else {
            eventIds.remove(eventId);
        }
    }
}
