package dev.arbor.query.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each event handler of the query side inside a savepoint of the batch's transaction. When a handler's SQL
 * fails, PostgreSQL would otherwise abort the whole transaction, so the dead-letter queue could not record the
 * failed event in it and the processor would stall on that batch; rolled back to the savepoint, the handler's own
 * statements are undone, the event is parked, and the batch goes on.
 */
@Component
class SavepointPerEventHandler implements HandlerEnhancerDefinition {

    private final TransactionTemplate savepoint;

    SavepointPerEventHandler(PlatformTransactionManager transactions) {
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!original.canHandleMessageType(EventMessage.class)) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                try {
                    return savepoint.execute(status -> {
                        try {
                            return super.handle(message, target);
                        } catch (RuntimeException | Error failure) {
                            throw failure;
                        } catch (Exception failure) {
                            throw new CheckedFailure(failure);
                        }
                    });
                } catch (CheckedFailure wrapped) {
                    throw wrapped.failure;
                }
            }
        };
    }

    /** Carries a checked exception through the template, which takes only unchecked ones. */
    private static final class CheckedFailure extends RuntimeException {

        private final Exception failure;

        CheckedFailure(Exception failure) {
            super(failure);
            this.failure = failure;
        }
    }
}
