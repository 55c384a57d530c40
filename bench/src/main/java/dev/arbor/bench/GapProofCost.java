package dev.arbor.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.arbor.platform.eventstore.EventStoreConfiguration;
import dev.arbor.platform.eventstore.GapSafeEventStorageEngine;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What proving gaps costs (issue #8): {@link GapSafeEventStorageEngine} and the statement trigger of
 * {@code V9__gap_proof.sql}. Appends per second into two copies of the event table, one with the trigger, and events
 * per second read from the event store by Axon's JDBC engine and by Arbor's. Runs like {@link InProcessCommands}, from
 * the command side's jar, where Axon and the platform are on the class path; prints the same {@code RESULT} lines
 * ({@code read} lines carry events per second).
 * <p>
 * Arguments: {@code runs seconds eventsToRead clients...}; the database is {@code SPRING_DATASOURCE_URL}, with
 * {@code SPRING_DATASOURCE_USERNAME} and {@code SPRING_DATASOURCE_PASSWORD}.
 */
public final class GapProofCost {

    private static final String PLAIN = "bench.events_plain";
    private static final String GAP_PROOF = "bench.events_gap_proof";

    private GapProofCost() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[1]));
        long eventsToRead = Long.parseLong(args[2]);
        // pooled, as in the apps: a connection per batch read would measure PostgreSQL's process start-up instead
        Datasource datasource = Datasource.fromEnvironment();
        HikariDataSource database = new HikariDataSource();
        database.setJdbcUrl(datasource.url());
        database.setUsername(datasource.user());
        database.setPassword(datasource.password());
        database.setMaximumPoolSize(4);
        createTableCopies(database);
        for (int a = 3; a < args.length; a++) {
            int clients = Integer.parseInt(args[a]);
            for (int run = 0; run < runs; run++) {
                appends(database, PLAIN, clients, duration).print("append-plain", clients);
                appends(database, GAP_PROOF, clients, duration).print("append-gap-proof", clients);
            }
        }
        for (int run = 0; run < runs; run++) {
            reads(engine(database).build(), eventsToRead).print("read-axon", 1);
            reads(new GapSafeEventStorageEngine(engine(database), NoTransactionManager.INSTANCE), eventsToRead)
                    .print("read-arbor", 1);
        }
    }

    private static void createTableCopies(HikariDataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS bench");
            for (String table : new String[]{PLAIN, GAP_PROOF}) {
                sql.execute("DROP TABLE IF EXISTS " + table);
                sql.execute("CREATE TABLE " + table + " (LIKE event_store.domain_event_entry INCLUDING ALL)");
            }
            sql.execute("CREATE TRIGGER take_transaction_id_before_global_index BEFORE INSERT ON " + GAP_PROOF
                        + " FOR EACH STATEMENT EXECUTE FUNCTION event_store.take_transaction_id()");
        }
    }

    private static Load.Result appends(HikariDataSource database, String table, int clients, Duration duration)
            throws Exception {
        Connection[] connections = new Connection[clients];
        for (int i = 0; i < clients; i++) {
            connections[i] = DriverManager.getConnection(database.getJdbcUrl(), database.getUsername(),
                                                         database.getPassword());
        }
        try {
            return Load.run(clients, duration, client -> {
                try (PreparedStatement insert = connections[client].prepareStatement(
                        "INSERT INTO " + table + " (aggregate_identifier, sequence_number, type, event_identifier,"
                        + " payload, payload_type, time_stamp) VALUES (?, 0, 'Bench', ?, ?, 'bench', ?)")) {
                    byte[] payload = new byte[300];
                    ThreadLocalRandom.current().nextBytes(payload);
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, UUID.randomUUID().toString());
                    insert.setBytes(3, payload);
                    insert.setString(4, Instant.now().toString());
                    insert.executeUpdate();
                }
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    /** Reads the first {@code events} of the store from its tail, as a replaying processor does. */
    private static Load.Result reads(EventStorageEngine engine, long events) {
        long started = System.nanoTime();
        long read = engine.readEvents(engine.createTailToken(), false).limit(events).count();
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Load.Result(read / seconds, 0, 0, 0);
    }

    private static JdbcEventStorageEngine.Builder engine(HikariDataSource database) {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        return JdbcEventStorageEngine.builder()
                                     .schema(EventStoreConfiguration.eventSchema(
                                             EventStoreConfiguration.DOMAIN_EVENT_TABLE))
                                     .dataType(byte[].class)
                                     .eventSerializer(serializer)
                                     .snapshotSerializer(serializer)
                                     .connectionProvider(new DataSourceConnectionProvider(database))
                                     .transactionManager(NoTransactionManager.INSTANCE);
    }
}
