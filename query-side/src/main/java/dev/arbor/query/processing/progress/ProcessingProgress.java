package dev.arbor.query.processing.progress;

import dev.arbor.query.processing.ProcessingGroups;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells whoever waits for the read model ({@link ReadYourWrites}) that a processor of this node has committed a batch,
 * so that a waiter looks at the positions again only when they may have moved, instead of every few milliseconds.
 * The signal is a hint, never the truth: waiters read {@link ReadModelPosition} after it, and also look again after
 * a short while without one, for what no local commit announces (the segments other nodes hold, which their tokens
 * in the database tell, and a segment of this node that moved past events of other segments without handling any).
 */
@Configuration
class ProcessingProgress {

    private final Object monitor = new Object();
    private long commits;

    /** Counts the processors' commits; the registered interceptor calls it after each batch's transaction. */
    void committed() {
        synchronized (monitor) {
            commits++;
            monitor.notifyAll();
        }
    }

    /** The number of commits so far, to pass to {@link #awaitCommitAfter}. */
    long commits() {
        synchronized (monitor) {
            return commits;
        }
    }

    /** Waits until a commit after the {@code seen}-th one, at most {@code millis}. */
    void awaitCommitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (monitor) {
            long left;
            while (commits == seen && (left = deadline - System.nanoTime()) > 0) {
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * On every event the read-model and audit processors handle, a note to signal once their unit of work (the whole
     * batch) has committed: before that, the new position is not visible to a waiter's read.
     */
    @Bean
    ConfigurerModule progressSignals() {
        MessageHandlerInterceptor<EventMessage<?>> signal = (unitOfWork, chain) -> {
            unitOfWork.afterCommit(batch -> committed());
            return chain.proceed();
        };
        return configurer -> configurer.eventProcessing()
                                       .registerHandlerInterceptor(ProcessingGroups.PROJECTION, axon -> signal)
                                       .registerHandlerInterceptor(ProcessingGroups.AUDIT, axon -> signal);
    }
}
