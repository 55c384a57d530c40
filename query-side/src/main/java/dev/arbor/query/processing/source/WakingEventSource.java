package dev.arbor.query.processing.source;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The event store as the query side's processors read it ({@code axon.eventhandling.processors.*.source}), with
 * streams that wake their processor every {@code arbor.event-poll-interval} to look for new events.
 * <p>
 * Axon's pooled processor, once it has read every event there is, waits for its stream's callback that more are
 * available, or else for 500 ms. The embedded event store's streams have no such callback (the command side appends
 * in another process, so nothing here would know when to call it). Every event that came after a pause therefore
 * waited up to half a second: a projection lag near 400 ms at the median in the benchmark, whatever the load.
 */
@Component(WakingEventSource.BEAN)
class WakingEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, DisposableBean {

    static final String BEAN = "wakingEventSource";
    private static final Logger log = LoggerFactory.getLogger(WakingEventSource.class);

    private final EventStore store;
    private final long intervalMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "event-source-wake-ups");
        thread.setDaemon(true);
        return thread;
    });

    WakingEventSource(EventStore store, @Value("${arbor.event-poll-interval:50ms}") Duration interval) {
        this.store = store;
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
        return new WakingStream(store.openStream(token));
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }

    /** The store's stream, and a timer that calls its reader's callback until it is closed. */
    private final class WakingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> events;
        private volatile ScheduledFuture<?> wakeUps;

        WakingStream(BlockingStream<TrackedEventMessage<?>> events) {
            this.events = events;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            wakeUps = timer.scheduleWithFixedDelay(() -> wake(callback), intervalMillis, intervalMillis,
                                                   TimeUnit.MILLISECONDS);
            return true;
        }

        private void wake(Runnable callback) {
            try {
                callback.run();
            } catch (RuntimeException failure) {
                // a failed wake-up must not cancel the next ones
                log.warn("Waking an event processor failed", failure);
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return events.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return events.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return events.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignored) {
            events.skipMessagesWithPayloadTypeOf(ignored);
        }

        @Override
        public void close() {
            ScheduledFuture<?> scheduled = wakeUps;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            events.close();
        }
    }
}
