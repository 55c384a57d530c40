package dev.arbor.query.processing.deadletters;

import dev.arbor.query.processing.batch.SavepointOnRetry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.util.DeadLetterQueueProviderConfigurerModule;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

/**
 * Where the query side's processors park the events they fail on ({@code read_model.dead_letter_entry}), how many,
 * and when a failure parks an event rather than retrying its batch.
 */
@org.springframework.context.annotation.Configuration
class DeadLetterConfiguration {

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
}
