package dev.arbor.query.processing.progress;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A waiter for the read model wakes on a processor's commit, and otherwise only when its time is up. */
class ProcessingProgressTest {

    private final ProcessingProgress progress = new ProcessingProgress();

    @Test
    void aWaiterWakesOnTheNextCommit() throws Exception {
        long seen = progress.commits();
        CompletableFuture<Long> woken = CompletableFuture.supplyAsync(() -> {
            try {
                progress.awaitCommitAfter(seen, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return progress.commits();
        });

        progress.committed();

        assertThat(woken.get(10, TimeUnit.SECONDS)).isEqualTo(seen + 1);
    }

    @Test
    void aCommitBeforeTheWaitIsNotWaitedFor() throws InterruptedException {
        long seen = progress.commits();
        progress.committed();

        long start = System.nanoTime();
        progress.awaitCommitAfter(seen, 60_000);

        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }

    @Test
    void withoutACommitTheWaitEndsWhenItsTimeIsUp() throws InterruptedException {
        long seen = progress.commits();
        long start = System.nanoTime();

        progress.awaitCommitAfter(seen, 200);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
        assertThat(progress.commits()).isEqualTo(seen);
    }
}
