package dev.arbor.command.support;

import dev.arbor.platform.database.TransactionConflict;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retries a command that lost a race: another command appended to the same aggregate first (on this node or, with a
 * stale cache, another), two commands waited for each other's aggregate locks, or PostgreSQL found two transactions
 * deadlocked (two command nodes appending to the same aggregate). Nothing of the failed attempt was
 * written, so running it again is safe; after {@value #MAX_RETRIES} retries the conflict reaches the client (409).
 * Rule violations and every other failure are final and never retried.
 */
class RetryOnConflict implements RetryScheduler {

    private static final int MAX_RETRIES = 3;
    private static final long MAX_BACKOFF_MILLIS = 20;

    private final ScheduledExecutorService executor;

    RetryOnConflict(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable dispatchTask) {
        boolean conflict = lastFailure instanceof ConcurrencyException || lastFailure instanceof DeadlockException
                           || TransactionConflict.explains(lastFailure);
        if (!conflict || failures.size() > MAX_RETRIES || executor.isShutdown()) {
            return false;
        }
        long backoff = ThreadLocalRandom.current().nextLong(1, MAX_BACKOFF_MILLIS * failures.size());
        executor.schedule(dispatchTask, backoff, TimeUnit.MILLISECONDS);
        return true;
    }
}
