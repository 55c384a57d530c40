package dev.arbor.platform.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/**
 * Axon's JDBC storage engine on the {@code event_store} schema that the command side's Flyway migrations create
 * (snake_case names, {@code bytea} payloads, a global index that advances by one). Both apps use it: the command
 * side appends, the query side streams.
 * <p>
 * The engine is declared here rather than left to Axon's auto-configuration so that its settings are visible in one
 * place, and so that it stays in force when an app declares its own {@code EventStore}. It is Axon's JDBC engine with
 * two changes: {@link GapSafeEventStorageEngine} never skips the event of a slow transaction, and, decorated by
 * {@link ReadPause}, a reader that has caught up pauses for {@code arbor.event-read-pause} (none unless set; the query
 * side sets it).
 */
@AutoConfiguration(before = JdbcAutoConfiguration.class)
public class EventStoreConfiguration {

    public static final String DOMAIN_EVENT_TABLE = "event_store.domain_event_entry";
    /** PostgreSQL's SQLSTATE for a unique violation: two appends claimed the same aggregate sequence number. */
    private static final String UNIQUE_VIOLATION = "23505";

    @Bean
    public EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 Configuration configuration,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 @Value("${arbor.event-read-pause:0ms}") Duration readPause) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                                                                .schema(eventSchema(DOMAIN_EVENT_TABLE))
                                                                .dataType(byte[].class)
                                                                .eventSerializer(eventSerializer)
                                                                .snapshotSerializer(defaultSerializer)
                                                                .upcasterChain(configuration.upcasterChain())
                                                                .snapshotFilter(configuration.snapshotFilter())
                                                                .persistenceExceptionResolver(
                                                                        new SQLStateResolver(UNIQUE_VIOLATION))
                                                                .connectionProvider(connectionProvider);
        GapSafeEventStorageEngine engine = new GapSafeEventStorageEngine(builder, transactionManager);
        return readPause.isZero() ? engine : new ReadPause(engine, readPause);
    }

    /** Axon puts every {@code EventUpcaster} bean in the chain that both apps read events through. */
    @Bean
    public AccountCreatedUpcaster accountCreatedUpcaster() {
        return new AccountCreatedUpcaster();
    }

    /** Arbor's column names, on {@code eventTable} (a copy of the event table, in tests). */
    public static EventSchema eventSchema(String eventTable) {
        return EventSchema.builder()
                          .eventTable(eventTable)
                          .snapshotTable("event_store.snapshot_event_entry")
                          .globalIndexColumn("global_index")
                          .timestampColumn("time_stamp")
                          .eventIdentifierColumn("event_identifier")
                          .aggregateIdentifierColumn("aggregate_identifier")
                          .sequenceNumberColumn("sequence_number")
                          .typeColumn("type")
                          .payloadTypeColumn("payload_type")
                          .payloadRevisionColumn("payload_revision")
                          .payloadColumn("payload")
                          .metaDataColumn("meta_data")
                          .build();
    }
}
