package dev.arbor.query.processing.source;

import dev.arbor.platform.eventstore.StoredEvents;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The event store as the query side reads it: the processors' streams, and its events read straight. */
@org.springframework.context.annotation.Configuration
class EventSourceConfiguration {

    /**
     * Axon's default event store, read by a stream that waits for events, polls for new ones once a second when idle;
     * {@code arbor.event-poll-interval} sets it. The processors do not wait on their streams: they are woken by
     * {@link WakingEventSource} at the same interval.
     */
    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    EventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                          @Value("${arbor.event-poll-interval:50ms}") Duration pollInterval) {
        return EmbeddedEventStore.builder()
                                 .storageEngine(storageEngine)
                                 .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                                 .fetchDelay(pollInterval.toMillis())
                                 .timeUnit(TimeUnit.MILLISECONDS)
                                 // Each processor reads the store on its own stream. The shared one kept every event
                                 // it fetched while a processor replayed from the first event: 267,000 of them, the
                                 // query side's whole heap, a minute into the benchmark's replay.
                                 .optimizeEventConsumption(false)
                                 .build();
    }

    /** The event store read straight, for what the processors' streams do not answer. */
    @Bean
    StoredEvents storedEvents(JdbcClient jdbc, @Qualifier("eventSerializer") Serializer serializer,
                              Configuration axon) {
        return new StoredEvents(jdbc, serializer, axon);
    }
}
