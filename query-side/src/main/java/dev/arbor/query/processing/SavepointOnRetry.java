package dev.arbor.query.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the query side's event handlers fail on one event without losing or stalling the rest, at no cost while
 * nothing fails.
 * <p>
 * In a processor's batch, handlers run straight in the batch's transaction. A savepoint around each would cost two
 * round trips per event, and beyond 64 subtransactions in one transaction PostgreSQL's subtransaction cache
 * overflows, which slows every session of the database. When a handler fails, its statements may have aborted the
 * transaction, so the event cannot simply be parked: the failure fails the whole batch ({@link #enqueuePolicy()}),
 * the batch is rolled back, and the processor retries it after a second. On that retry the event that failed runs
 * in a savepoint: if it fails again, only its own statements are rolled back, the dead-letter queue parks it, and
 * the batch goes on. Outside a batch (a dead letter retried on its own) handlers always run in a savepoint.
 */
@Component
class SavepointOnRetry implements HandlerEnhancerDefinition {

    /** Events whose handling failed in a batch: on the batch's retry, each runs in a savepoint. */
    private final Set<String> failedEvents = ConcurrentHashMap.newKeySet();
    private final Savepoint savepoint;

    SavepointOnRetry(Savepoint savepoint) {
        this.savepoint = savepoint;
    }

    /**
     * The dead-letter policy of the query side's processors: a failure in a batch is retried with the batch (see
     * above), any other is parked.
     */
    static EnqueuePolicy<EventMessage<?>> enqueuePolicy() {
        return (letter, cause) -> {
            if (cause instanceof RetryBatch retry) {
                throw retry;
            }
            return Decisions.enqueue(cause);
        };
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!original.canHandleMessageType(EventMessage.class)) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (inBatch() && !failedEvents.contains(message.getIdentifier())) {
                    return firstTry(message, target);
                }
                try {
                    return savepoint.run(() -> super.handle(message, target));
                } finally {
                    // handled, or parked in the dead-letter queue: either way this retry settled it
                    failedEvents.remove(message.getIdentifier());
                }
            }

            private Object firstTry(Message<?> message, T target) {
                try {
                    return super.handle(message, target);
                } catch (Exception | Error failure) {
                    failedEvents.add(message.getIdentifier());
                    throw new RetryBatch(message, failure);
                }
            }
        };
    }

    private static boolean inBatch() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork;
    }

    /** Fails the batch an event's handler failed in, so that it is rolled back and retried (see the class). */
    static final class RetryBatch extends RuntimeException {
        RetryBatch(Message<?> message, Throwable failure) {
            super("Handling event " + message.getIdentifier() + " failed; its batch is retried with the event in a "
                          + "savepoint", failure);
        }
    }
}
