package dev.arbor.platform.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link GapSafeEventStorageEngine} whose streams, after a batch less than half full, answer that there is nothing
 * more, without reading, for {@code pause}: the reader has caught up. The engine reads again at once, until a read
 * comes back empty, so under a steady load a processor that kept up read, and committed, a few events at a time. A
 * batch can also come back short when holes left by rolled-back appends fill its range of indexes; then the reader
 * merely waits for the pause. Everything else is the engine's.
 */
public final class ReadPause implements EventStorageEngine {

    private final GapSafeEventStorageEngine engine;
    private final long pauseNanos;

    public ReadPause(GapSafeEventStorageEngine engine, Duration pause) {
        this.engine = engine;
        this.pauseNanos = pause.toNanos();
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return StreamSupport.stream(new CaughtUpBatches(trackingToken), false);
    }

    private final class CaughtUpBatches extends Spliterators.AbstractSpliterator<TrackedEventMessage<?>> {

        private TrackingToken last;
        private Iterator<TrackedEventMessage<?>> batch = Collections.emptyIterator();
        /** When the last read came back less than half full, in {@link System#nanoTime()}; null if it did not. */
        private Long caughtUpAt;

        CaughtUpBatches(TrackingToken from) {
            super(Long.MAX_VALUE, Spliterator.ORDERED);
            this.last = from;
        }

        @Override
        public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
            if (!batch.hasNext()) {
                if (caughtUpAt != null && System.nanoTime() - caughtUpAt < pauseNanos) {
                    return false;
                }
                GapSafeEventStorageEngine.Batch fetched = engine.readBatch(last);
                caughtUpAt = fetched.read() < engine.batchSize() / 2 ? System.nanoTime() : null;
                last = fetched.last();
                batch = fetched.events().iterator();
            }
            if (!batch.hasNext()) {
                return false;
            }
            action.accept(batch.next());
            return true;
        }
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        engine.appendEvents(events);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        engine.storeSnapshot(snapshot);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return engine.readEvents(aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return engine.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return engine.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return engine.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return engine.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return engine.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return engine.createTokenAt(dateTime);
    }
}
