package dev.arbor.query.processing.batch;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs work in a savepoint of the current transaction: when the work fails, only its own statements are rolled back,
 * and its exception, checked or not, reaches the caller unchanged.
 */
@Component
public class Savepoint {

    public interface Work {
        Object run() throws Exception;
    }

    private final TransactionTemplate nested;

    Savepoint(PlatformTransactionManager transactions) {
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    public Object run(Work work) throws Exception {
        try {
            return nested.execute(status -> {
                try {
                    return work.run();
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

    /** Carries a checked exception through the template, which takes only unchecked ones. */
    private static final class CheckedFailure extends RuntimeException {

        private final Exception failure;

        CheckedFailure(Exception failure) {
            super(failure);
            this.failure = failure;
        }
    }
}
