package dev.arbor.query.processing.scratch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.local.TestDatabase;
import dev.arbor.platform.eventstore.EventStoreConfiguration;
import dev.arbor.platform.eventstore.GapSafeEventStorageEngine;
import dev.arbor.platform.eventstore.StoredEvents;
import dev.arbor.query.processing.ReadModelWriter;
import dev.arbor.query.processing.batch.BatchedStatements;
import dev.arbor.query.processing.batch.Savepoint;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The parts a fold into scratch tables is made of, wired as the query side wires them, on the test JVM's embedded
 * PostgreSQL: the read model as its migrations create it, the event store as Axon creates it on Arbor's names, and
 * the account projection as the one projection. The pool has one connection, so that whatever a fold leaves in its
 * session (a temporary table, a search_path) is there for the next statement to see.
 */
@org.springframework.context.annotation.Configuration
@Import({ReadModelWriter.class, BatchedStatements.class, Savepoint.class, ReadModelProjections.class,
         ReadModelSchema.class, ScratchReadModel.class})
@ComponentScan(basePackages = "dev.arbor.query", useDefaultFilters = false, includeFilters = @ComponentScan.Filter(
        type = FilterType.REGEX, pattern = {"dev\\.arbor\\.query\\.processing\\.batch\\.RetriedEvents",
                                            "dev\\.arbor\\.query\\.account\\.AccountProjection"}))
class ScratchFoldParts {

    private static final Serializer SERIALIZER = JacksonSerializer.defaultSerializer();

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource() {
        EmbeddedDatabase database = TestDatabase.get();
        Flyway.configure()
              .dataSource(database.jdbcUrl(), database.user(), database.password())
              .schemas("read_model").defaultSchema("read_model")
              .locations("classpath:db/migration/query-side")
              .load().migrate();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(1);
        pool.setConnectionTimeout(5_000);
        pool.setConnectionInitSql("SET search_path TO read_model"); // as the query side's pool does
        return new HikariDataSource(pool);
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    @Bean
    JdbcClient jdbcClient(DataSource dataSource) {
        return JdbcClient.create(dataSource);
    }

    @Bean
    DataSourceTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    ObjectMapper objectMapper() {
        return new ObjectMapper();
    }

    @Bean
    Configuration axon() {
        return DefaultConfigurer.defaultConfiguration().buildConfiguration();
    }

    @Bean
    StoredEvents storedEvents(JdbcClient jdbc, Configuration axon) {
        return new StoredEvents(jdbc, SERIALIZER, axon);
    }

    /** The store the events are appended to, each append committed at once. */
    @Bean
    GapSafeEventStorageEngine eventStore(DataSource dataSource, JdbcClient jdbc) {
        jdbc.sql("CREATE SCHEMA IF NOT EXISTS event_store").update();
        GapSafeEventStorageEngine engine = new GapSafeEventStorageEngine(
                JdbcEventStorageEngine.builder()
                                      .schema(EventStoreConfiguration.eventSchema(
                                              EventStoreConfiguration.DOMAIN_EVENT_TABLE))
                                      .dataType(byte[].class)
                                      .eventSerializer(SERIALIZER)
                                      .snapshotSerializer(SERIALIZER)
                                      .connectionProvider(new DataSourceConnectionProvider(dataSource)),
                NoTransactionManager.INSTANCE);
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
        return engine;
    }

    /**
     * An organization as the command side records it: a root created with {@code seats}, which hands
     * {@code childSeats} to a child named {@code childName} (the root's ChildAccountAdded, the child's creation).
     */
    record Organization(UUID root, UUID child, List<DomainEventMessage<?>> events) {

        static Organization of(long seats, long childSeats, String childName) {
            UUID root = UUID.randomUUID();
            UUID child = UUID.randomUUID();
            return new Organization(root, child, List.of(
                    event(root, 0, new AccountCreated(root, root, null, "Root", null, null, seats, Map.of())),
                    event(root, 1, new ChildAccountAdded(root, root, child, childSeats)),
                    event(child, 0, new AccountCreated(child, root, root, childName, null, null, childSeats,
                                                       Map.of()))));
        }

        private static DomainEventMessage<?> event(UUID account, long sequence, Object payload) {
            return new GenericDomainEventMessage<>("Account", account.toString(), sequence, payload);
        }

        /** The row the read model should hold for each account, as {@link #rowsIn} describes rows. */
        List<String> rows(long rootSeats, long childSeats) {
            return List.of(root + " at depth 0 with " + rootSeats + " seats",
                           child + " at depth 1 with " + childSeats + " seats");
        }

        /** The event that created the child. */
        DomainEventMessage<?> childCreated() {
            return events.get(2);
        }
    }

    /** The accounts of {@code table} (an account table, qualified or not), root first, each described in a line. */
    static List<String> rowsIn(JdbcClient jdbc, String table) {
        return jdbc.sql("SELECT id || ' at depth ' || depth || ' with ' || seats_total || ' seats' FROM " + table
                        + " ORDER BY depth, id")
                   .query(String.class).list();
    }

    /** How many of {@code organization}'s accounts the live read model holds. */
    static long liveRowsOf(JdbcClient jdbc, Organization organization) {
        return jdbc.sql("SELECT count(*) FROM read_model.account WHERE id IN (?, ?)")
                   .params(organization.root(), organization.child()).query(Long.class).single();
    }

    /** A name one character longer than the read model's column takes: an event the projection fails on. */
    static final String TOO_LONG_A_NAME = "x".repeat(201);
}
