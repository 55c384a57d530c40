package dev.arbor.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue #18, point 6: the embedded PostgreSQL lets no one in without the password of its data directory, not even on
 * the directory of an older Arbor that let everyone in, and keeps that password across restarts.
 */
class EmbeddedDatabaseTest {

    private static final String WRONG_PASSWORD = "arbor";

    @TempDir
    Path dataDirectory;

    @Test
    void everyLoginOverTcpNeedsThePasswordOfTheDataDirectory() throws Exception {
        EmbeddedDatabase database = TestDatabase.get();

        assertRefusesAllButThePassword(database);
        assertThat(Files.readString(database.passwordFile())).isEqualTo(database.password());
        assertThat(Files.getPosixFilePermissions(database.passwordFile()))
                .containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
        try (Connection superuser = login(database, "postgres", Files.readString(
                database.passwordFile().resolveSibling(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE)));
             Statement sql = superuser.createStatement()) {
            assertThat(values(sql, "SELECT DISTINCT auth_method FROM pg_hba_file_rules"))
                    .containsExactly("scram-sha-256");
            assertThat(values(sql, "SHOW listen_addresses")).containsExactly("127.0.0.1");
            assertThat(values(sql, "SHOW unix_socket_directories")).containsExactly("");
        }
    }

    @Test
    void aDurableDirectoryKeepsItsPasswordAcrossRestarts() throws Exception {
        String firstPassword;
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDirectory, 0, EmbeddedDatabase.Durability.DURABLE)) {
            firstPassword = first.password();
        }

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDirectory, 0,
                                                                 EmbeddedDatabase.Durability.DURABLE)) {
            assertThat(restarted.password()).isEqualTo(firstPassword);
            assertRefusesAllButThePassword(restarted);
        }
    }

    @Test
    void theDirectoryOfAnOlderArborThatTrustedEveryLoginGetsAPassword() throws Exception {
        olderArborsDirectory(dataDirectory);

        String password;
        try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(dataDirectory, 0,
                                                                EmbeddedDatabase.Durability.DURABLE)) {
            password = upgraded.password();
            assertThat(password).isNotEqualTo(WRONG_PASSWORD);
            assertThat(Files.readString(upgraded.passwordFile())).isEqualTo(password);
            assertRefusesAllButThePassword(upgraded);
        }

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDirectory, 0,
                                                                 EmbeddedDatabase.Durability.DURABLE)) {
            assertThat(restarted.password()).isEqualTo(password);
            assertRefusesAllButThePassword(restarted);
        }
    }

    /**
     * Its first start with this Arbor gives it passwords before its server listens: a login without one, tried again
     * and again from before the start until the server has answered it, is never let in, not even for a moment.
     */
    @Test
    void theDirectoryOfAnOlderArborLetsNoLoginInWithoutAPasswordEvenDuringItsFirstStart() throws Exception {
        olderArborsDirectory(dataDirectory);
        int port = freePort();

        PasswordlessLogins logins = PasswordlessLogins.tryAgainAndAgain(port);
        try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(dataDirectory, port,
                                                                EmbeddedDatabase.Durability.DURABLE)) {
            logins.untilOneIsAskedForItsPassword();
        } finally {
            logins.stop();
        }

        assertThat(logins.letIn()).as("logins let in without a password").isZero();
    }

    /** As Arbor set one up before passwords: zonky's defaults (trust), the role arbor with the password "arbor". */
    private static void olderArborsDirectory(Path dataDirectory) throws IOException, SQLException {
        try (EmbeddedPostgres older = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                                                      .setCleanDataDirectory(false).start();
             Connection superuser = older.getPostgresDatabase().getConnection();
             Statement sql = superuser.createStatement()) {
            sql.execute("CREATE ROLE arbor LOGIN PASSWORD '" + WRONG_PASSWORD + "'");
            sql.execute("CREATE DATABASE arbor OWNER arbor");
        }
    }

    /** Each role takes its own password alone: the apps' one does not let anyone in as the superuser. */
    private static void assertRefusesAllButThePassword(EmbeddedDatabase database) throws Exception {
        String superuserPassword = Files.readString(
                database.passwordFile().resolveSibling(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE));
        assertThat(Files.getPosixFilePermissions(
                database.passwordFile().resolveSibling(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE)))
                .containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
        assertThat(superuserPassword).isNotEqualTo(database.password());
        Map<String, String> passwords = Map.of(database.user(), database.password(), "postgres", superuserPassword);
        passwords.forEach((user, password) -> {
            assertThatThrownBy(() -> login(database, user, null)).as(user + " without a password")
                    .isInstanceOf(PSQLException.class)
                    .hasMessageContaining("requested SCRAM-based authentication, but no password was provided");
            assertThatThrownBy(() -> login(database, user, WRONG_PASSWORD)).as(user + " with a wrong password")
                    .isInstanceOf(PSQLException.class)
                    .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("28P01");
            assertThatThrownBy(() -> login(database, user, passwords.get(other(user))))
                    .as(user + " with the other role's password")
                    .isInstanceOf(PSQLException.class)
                    .extracting(e -> ((PSQLException) e).getSQLState()).isEqualTo("28P01");
            assertThatCode(() -> login(database, user, password).close()).as(user).doesNotThrowAnyException();
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A client logging in as the superuser without a password, over and over, on a thread of its own. */
    private static final class PasswordlessLogins implements Runnable {

        private final String url;
        private final Thread thread = new Thread(this, "passwordless-logins");
        private final AtomicInteger letIn = new AtomicInteger();
        private final CountDownLatch askedForPassword = new CountDownLatch(1);
        private volatile boolean stopped;

        private PasswordlessLogins(int port) {
            this.url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=1&user=postgres";
        }

        static PasswordlessLogins tryAgainAndAgain(int port) {
            PasswordlessLogins logins = new PasswordlessLogins(port);
            logins.thread.start();
            return logins;
        }

        @Override
        public void run() {
            while (!stopped) {
                try (Connection ignored = DriverManager.getConnection(url)) {
                    letIn.incrementAndGet();
                } catch (SQLException refused) {
                    // the server not up yet, starting up, or asking for the password
                    if (String.valueOf(refused.getMessage()).contains("no password was provided")) {
                        askedForPassword.countDown();
                    }
                }
            }
        }

        void untilOneIsAskedForItsPassword() throws InterruptedException {
            assertThat(askedForPassword.await(30, TimeUnit.SECONDS)).as("the server asked for a password").isTrue();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join();
        }

        int letIn() {
            return letIn.get();
        }
    }

    private static String other(String user) {
        return user.equals("postgres") ? "arbor" : "postgres";
    }

    private static Connection login(EmbeddedDatabase database, String user, String password) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        if (password != null) {
            login.setProperty("password", password);
        }
        return DriverManager.getConnection(database.jdbcUrl(), login);
    }

    private static List<String> values(Statement sql, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (var rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
