package dev.arbor.query.processing.source;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processors' streams wake their reader at every interval, whatever the store's own stream announces, until they
 * are closed; what they read is the store's.
 */
class WakingEventSourceTest {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
                                                               .storageEngine(new InMemoryEventStorageEngine())
                                                               .build();
    private final WakingEventSource source = new WakingEventSource(store, Duration.ofMillis(20));

    @AfterEach
    void stop() {
        source.destroy();
        store.shutDown();
    }

    @Test
    void aStreamWakesItsReaderAtEveryIntervalUntilItIsClosed() throws Exception {
        AtomicInteger wakeUps = new AtomicInteger();
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createTailToken());

        assertThat(stream.setOnAvailableCallback(wakeUps::incrementAndGet)).as("the callback is taken").isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wakeUps.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(wakeUps.get()).as("wake-ups within 10 s at a 20 ms interval").isGreaterThanOrEqualTo(3);

        stream.close();
        Thread.sleep(50); // a wake-up already under way when the stream closed may still land
        int afterClose = wakeUps.get();
        Thread.sleep(200);
        assertThat(wakeUps.get()).as("wake-ups after the stream closed").isEqualTo(afterClose);
    }

    @Test
    void aFailingWakeUpDoesNotStopTheNextOnes() throws Exception {
        AtomicInteger wakeUps = new AtomicInteger();
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createTailToken())) {
            stream.setOnAvailableCallback(() -> {
                wakeUps.incrementAndGet();
                throw new IllegalStateException("a processor that could not be woken");
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (wakeUps.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        assertThat(wakeUps.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aStreamReadsTheStoresEvents() throws Exception {
        store.publish(GenericEventMessage.asEventMessage("first"), GenericEventMessage.asEventMessage("second"));

        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createTailToken())) {
            assertThat(stream.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("first");
            assertThat(stream.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("second");
        }
    }
}
