package dev.arbor.local;

import dev.arbor.tokens.SecretFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL server run from the binaries packaged on Maven Central (zonky), so that Arbor runs and tests on a
 * machine with nothing but a JDK. It holds one database, {@value #DATABASE}, owned by the role {@link #user()}.
 * <p>
 * Every login needs a password, checked with SCRAM-SHA-256, and the server listens on 127.0.0.1 only, without a Unix
 * socket. The passwords are random, made at the data directory's first start and kept in it, readable by its owner
 * only: {@link #user()}'s, which the apps get, in {@value #PASSWORD_FILE}, and the superuser {@code postgres}'s, which
 * they never get (who has it can run programs as the server's user), in {@value #SUPERUSER_PASSWORD_FILE}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "arbor";
    /** In the data directory: the password of {@link #user()}. */
    public static final String PASSWORD_FILE = "arbor-password";
    /** In the data directory: the password of the superuser {@code postgres}. */
    public static final String SUPERUSER_PASSWORD_FILE = "postgres-password";

    private static final String USER = "arbor";
    private static final String HOST = "127.0.0.1";
    private static final String CLIENT_AUTHENTICATION = """
            # Written by Arbor (EmbeddedDatabase) at every start: every login needs its password.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, String password) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
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
     * reuses what an earlier start left there, password included; a throw-away one deletes its directory when it
     * stops.
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, Durability durability) {
        return start(dataDirectory, port, durability, Map.of());
    }

    /** As {@link #start(Path, int, Durability)}, with more server settings ({@code postgres -c name=value}). */
    public static EmbeddedDatabase start(Path dataDirectory, int port, Durability durability,
                                         Map<String, String> settings) {
        Path passwordFile = dataDirectory.resolve(PASSWORD_FILE);
        // zonky's own test for whether it runs initdb
        boolean fresh = durability == Durability.THROWAWAY || !Files.exists(dataDirectory.resolve("postgresql.conf"));
        boolean fromAnOlderArbor = !fresh && !Files.exists(passwordFile);
        Path initialPassword = null;
        try {
            String password = fresh || !Files.exists(passwordFile) ? newPassword()
                                                                   : Files.readString(passwordFile).strip();
            Path superuserPasswordFile = dataDirectory.resolve(SUPERUSER_PASSWORD_FILE);
            // a directory from before the superuser had a password of its own shared the apps' one
            String superuserPassword = fresh ? newPassword()
                    : Files.exists(superuserPasswordFile) ? Files.readString(superuserPasswordFile).strip()
                    : Files.exists(passwordFile) ? password : newPassword();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory.toFile())
                    .setCleanDataDirectory(durability == Durability.THROWAWAY)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", HOST)
                    // no socket: zonky and the apps log in over TCP, and in /tmp every local user could reach it
                    .setServerConfig("unix_socket_directories", "")
                    // zonky's start-up check logs in as postgres
                    .setConnectConfig("password", superuserPassword);
            if (durability == Durability.DURABLE) {
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            settings.forEach(builder::setServerConfig);
            if (fresh) {
                // zonky runs initdb with "-A trust" and no password, then its "locale" options as --name=value: these
                // later ones override the trust, so the server never runs a moment without passwords. initdb wants
                // an empty directory, so the password waits outside it until initdb is done.
                initialPassword = Files.createTempFile("arbor-initdb-password", "");
                SecretFile.restrictToOwner(initialPassword);
                Files.writeString(initialPassword, superuserPassword);
                builder.setLocaleConfig("auth", "scram-sha-256")
                       .setLocaleConfig("pwfile", initialPassword.toString());
            }
            // before the server starts, so that it never runs a moment without passwords
            builder.setDataDirectoryCustomizer(directory -> {
                if (fromAnOlderArbor) {
                    setPasswordsWithoutAServer(dataDirectory, password, superuserPassword);
                }
                requirePasswords(dataDirectory, password, superuserPassword);
            });
            EmbeddedDatabase database = new EmbeddedDatabase(builder.start(), dataDirectory, password);
            database.createArborDatabase();
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        } finally {
            deleteIfPresent(initialPassword);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE;
    }

    /** The role the apps log in as; it owns the database. */
    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public Path passwordFile() {
        return dataDirectory.resolve(PASSWORD_FILE);
    }

    /**
     * The environment that points one of Arbor's apps at this database. The password belongs there, not on a command
     * line, which every local user sees ({@code ps}).
     */
    public Map<String, String> datasourceEnvironment() {
        return Map.of("SPRING_DATASOURCE_URL", jdbcUrl(),
                      "SPRING_DATASOURCE_USERNAME", user(),
                      "SPRING_DATASOURCE_PASSWORD", password());
    }

    private static String newPassword() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The password files, and the client authentication that asks for them. */
    private static void requirePasswords(Path dataDirectory, String password, String superuserPassword) {
        try {
            SecretFile.createIfAbsent(dataDirectory.resolve(SUPERUSER_PASSWORD_FILE), () -> superuserPassword);
            SecretFile.createIfAbsent(dataDirectory.resolve(PASSWORD_FILE), () -> password);
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), CLIENT_AUTHENTICATION);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the password of " + dataDirectory, e);
        }
    }

    private void createArborDatabase() {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement sql = admin.createStatement()) {
            if (!sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'").next()) {
                sql.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
            }
            if (!sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
                sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the arbor database", e);
        }
    }

    /**
     * A data directory of an older Arbor: it let every local login in without a password ("trust", as zonky's
     * initdb sets it up), and its roles have none to check (or {@value #USER} a well-known one). They get theirs in
     * single-user mode, where no one can log in, before the password files and the client authentication that asks
     * for them are written. Interrupted, the next start begins again (no password file yet) or only writes the
     * client authentication (there is one).
     */
    private static void setPasswordsWithoutAServer(Path dataDirectory, String password, String superuserPassword) {
        SingleUserPostgres.run(dataDirectory, List.of(
                "ALTER ROLE postgres PASSWORD '" + superuserPassword + "'",
                // a start of an older Arbor interrupted before it made the role
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN "
                + "CREATE ROLE " + USER + " LOGIN; END IF; END $$",
                "ALTER ROLE " + USER + " PASSWORD '" + password + "'"));
    }

    private static void deleteIfPresent(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
