package dev.arbor.query.processing.batch;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.springframework.stereotype.Component;


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
 * <p>
 * The statements a batch's handlers leave to {@link BatchedStatements} run when the batch commits. When they fail,
 * the retry runs the statements of those events at once, so that the failing one fails its own event's handler,
 * which is then retried as above ({@link RetriedEvents}).
 */
@Component
public class SavepointOnRetry implements HandlerEnhancerDefinition {

    private final Savepoint savepoint;
    private final RetriedEvents retried;
    private final BatchedStatements statements;

    SavepointOnRetry(Savepoint savepoint, RetriedEvents retried, BatchedStatements statements) {
        this.savepoint = savepoint;
        this.retried = retried;
        this.statements = statements;
    }

    /**
     * The dead-letter policy of the query side's processors: a failure in a batch is retried with the batch (see
     * above), any other is parked.
     */
    public static EnqueuePolicy<EventMessage<?>> enqueuePolicy() {
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
        String processingGroup = processingGroupOf(original.declaringClass());
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                RetriedEvents.handledBy(processingGroup);
                if (RetriedEvents.inBatch() && !retried.runsAlone(message.getIdentifier())) {
                    return firstTry(message, target);
                }
                runStatementsOfEarlierEvents(message);
                try {
                    return savepoint.run(() -> super.handle(message, target));
                } finally {
                    // handled, or parked in the dead-letter queue: either way this retry settled it
                    retried.settled(message.getIdentifier());
                }
            }

            /** Outside the savepoint, whose rollback would otherwise park this event for another one's failure. */
            private void runStatementsOfEarlierEvents(Message<?> message) {
                try {
                    statements.flush();
                } catch (RuntimeException failure) {
                    throw new RetryBatch(message, failure);
                }
            }

            private Object firstTry(Message<?> message, T target) {
                Object result;
                try {
                    result = super.handle(message, target);
                } catch (Exception | Error failure) {
                    retried.handlingFailed(message.getIdentifier());
                    throw new RetryBatch(message, failure);
                }
                retried.settled(message.getIdentifier());
                return result;
            }
        };
    }

    /** The processor a handler's class belongs to: its {@code @ProcessingGroup}, else Axon's default, its package. */
    private static String processingGroupOf(Class<?> handlerClass) {
        ProcessingGroup group = handlerClass.getAnnotation(ProcessingGroup.class);
        return group != null ? group.value() : handlerClass.getPackageName();
    }

    /** Fails the batch an event's handler failed in, so that it is rolled back and retried (see the class). */
    static final class RetryBatch extends RuntimeException {
        RetryBatch(Message<?> message, Throwable failure) {
            super("Handling event " + message.getIdentifier() + " failed; its batch is retried with the event in a "
                          + "savepoint", failure);
        }
    }
}
