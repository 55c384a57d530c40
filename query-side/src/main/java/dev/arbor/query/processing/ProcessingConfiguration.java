package dev.arbor.query.processing;

import dev.arbor.platform.eventstore.StoredEvents;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.TokenStoreProperties;
import org.axonframework.springboot.util.DeadLetterQueueProviderConfigurerModule;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Where the query side's event processors keep their state (tokens and dead letters in the {@code read_model}
 * schema, next to the views they update) and how often they look for new events.
 */
@org.springframework.context.annotation.Configuration
class ProcessingConfiguration {

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                          .setTokenTable("read_model.token_entry")
                          .setProcessorNameColumn("processor_name")
                          .setSegmentColumn("segment")
                          .setTokenColumn("token")
                          .setTokenTypeColumn("token_type")
                          .setTimestampColumn("timestamp")
                          .setOwnerColumn("owner")
                          .build();
    }

    @Bean
    NodeId nodeId(@Value("${arbor.node-id:}") String configured) {
        return new NodeId(configured.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : configured);
    }

    /**
     * Axon's JDBC token store as its Spring Boot auto-configuration builds it (claim timeout from
     * {@code axon.eventhandling.tokenstore.claim-timeout}), but with the node id named, so that the
     * {@link SegmentBalancer} knows which owner in {@code token_entry} is this node.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          TokenStoreProperties properties, NodeId nodeId) {
        return JdbcTokenStore.builder()
                             .connectionProvider(connectionProvider)
                             .schema(tokenSchema)
                             .serializer(serializer)
                             .claimTimeout(properties.getClaimTimeout())
                             .nodeId(nodeId.value())
                             .build();
    }

    @Bean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                               .deadLetterTable("read_model.dead_letter_entry")
                               .deadLetterIdentifierColumn("dead_letter_identifier")
                               .processingGroupColumn("processing_group")
                               .sequenceIdentifierColumn("sequence_identifier")
                               .sequenceIndexColumn("sequence_index")
                               .messageTypeColumn("message_type")
                               .eventIdentifierColumn("event_identifier")
                               .timestampColumn("time_stamp")
                               .payloadTypeColumn("payload_type")
                               .payloadRevisionColumn("payload_revision")
                               .payloadColumn("payload")
                               .metaDataColumn("meta_data")
                               .aggregateTypeColumn("aggregate_type")
                               .aggregateIdentifierColumn("aggregate_identifier")
                               .sequenceNumberColumn("sequence_number")
                               .tokenTypeColumn("token_type")
                               .tokenColumn("token")
                               .enqueuedAtColumn("enqueued_at")
                               .lastTouchedColumn("last_touched")
                               .processingStartedColumn("processing_started")
                               .causeTypeColumn("cause_type")
                               .causeMessageColumn("cause_message")
                               .diagnosticsColumn("diagnostics")
                               .build();
    }

    /**
     * Axon's JDBC dead-letter queue as its Spring Boot auto-configuration builds it, but with room for
     * {@code arbor.dead-letters.max-sequences} parked organizations of {@code max-sequence-size} events each. At
     * Axon's defaults (1,024 of 1,024) the event after the last place failed its whole batch, again and again: one
     * busy parked organization, or the 1,025th parked one, halted every organization of its segment. Two of its
     * statements scaled with a sequence's length ({@link DeadLetterStatements}).
     */
    @Bean
    DeadLetterQueueProviderConfigurerModule deadLetterQueues(
            EventProcessorProperties properties, ConnectionProvider connectionProvider,
            TransactionManager transactionManager, DeadLetterSchema schema,
            @Qualifier("eventSerializer") Serializer eventSerializer, Serializer genericSerializer,
            @Value("${arbor.dead-letters.max-sequences:1000000}") int maxSequences,
            @Value("${arbor.dead-letters.max-sequence-size:100000}") int maxSequenceSize) {
        return new DeadLetterQueueProviderConfigurerModule(
                properties, group -> axon -> JdbcSequencedDeadLetterQueue.builder()
                                                                         .processingGroup(group)
                                                                         .maxSequences(maxSequences)
                                                                         .maxSequenceSize(maxSequenceSize)
                                                                         .pageSize(DeadLetterStatements.PAGE)
                                                                         .statementFactory(new DeadLetterStatements(
                                                                                 schema, genericSerializer,
                                                                                 eventSerializer))
                                                                         .connectionProvider(connectionProvider)
                                                                         .transactionManager(transactionManager)
                                                                         .schema(schema)
                                                                         .genericSerializer(genericSerializer)
                                                                         .eventSerializer(eventSerializer)
                                                                         .build());
    }

    /** Handler failures in a batch retry the batch, with the failed event in a savepoint (see SavepointOnRetry). */
    @Bean
    ConfigurerModule deadLetterPolicy() {
        return configurer -> configurer.eventProcessing()
                                       .registerDefaultDeadLetterPolicy(axon -> SavepointOnRetry.enqueuePolicy());
    }

    /** Failed batches propagate as by default, and each processor's last one is remembered for its status. */
    @Bean
    ConfigurerModule errorRecording(ProcessorErrors errors) {
        return configurer -> configurer.eventProcessing().registerDefaultErrorHandler(axon -> errors);
    }

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
