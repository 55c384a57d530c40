package dev.arbor.command.support;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failed commands run again: those that lost a race, a few times; never those that failed for good. */
class RetryOnConflictTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final RetryOnConflict retry = new RetryOnConflict(executor);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aDeadlockPostgreSQLBrokeBetweenTwoAppendsRunsAgain() throws InterruptedException {
        CountDownLatch ranAgain = new CountDownLatch(1);
        RuntimeException deadlock = new EventStoreException("An event could not be stored",
                                                            new SQLException("deadlock detected", "40P01"));

        assertThat(retry.scheduleRetry(command(), deadlock, failures(1), ranAgain::countDown)).isTrue();
        assertThat(ranAgain.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aConflictRunsAgainOnlyAFewTimes() {
        ConcurrencyException conflict = new ConcurrencyException("appended first by another command");

        assertThat(retry.scheduleRetry(command(), conflict, failures(1), () -> { })).isTrue();
        assertThat(retry.scheduleRetry(command(), conflict, failures(4), () -> { })).isFalse();
    }

    @Test
    void anyOtherFailureIsFinal() {
        RuntimeException duplicate = new EventStoreException("An event could not be stored",
                                                             new SQLException("duplicate key value", "23505"));

        assertThat(retry.scheduleRetry(command(), duplicate, failures(1), () -> { })).isFalse();
        assertThat(retry.scheduleRetry(command(), new IllegalStateException("bug"), failures(1), () -> { }))
                .isFalse();
    }

    private static GenericCommandMessage<String> command() {
        return new GenericCommandMessage<>("a command");
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends Throwable>[]> failures(int count) {
        List<Class<? extends Throwable>[]> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            failures.add(new Class[]{RuntimeException.class});
        }
        return failures;
    }
}
