package dev.arbor.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A PostgreSQL server run from the binaries packaged on Maven Central (zonky), so that Arbor runs and tests on a
 * machine with nothing but a JDK. It holds one database, {@value #DATABASE}, owned by the role {@value #USER}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "arbor";
    public static final String USER = "arbor";
    public static final String PASSWORD = "arbor";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Whether a commit is on disk before it is acknowledged. */
    public enum Durability {
        /** fsync and synchronous commit, as in production: for data that must survive a crash. */
        DURABLE,
        /** zonky's test defaults (no fsync, asynchronous commit): fast, for throw-away test data. */
        THROWAWAY
    }

    /**
     * Starts a server on {@code port} (0 for a free one) keeping its data in {@code dataDirectory}. A durable server
     * reuses what an earlier start left there; a throw-away one deletes its directory when it stops.
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, Durability durability) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory.toFile())
                    .setCleanDataDirectory(durability == Durability.THROWAWAY)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200");
            if (durability == Durability.DURABLE) {
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedDatabase database = new EmbeddedDatabase(postgres);
            database.createArborDatabase();
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    private void createArborDatabase() {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement sql = admin.createStatement()) {
            if (!sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'").next()) {
                sql.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            if (!sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
                sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the arbor database", e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
