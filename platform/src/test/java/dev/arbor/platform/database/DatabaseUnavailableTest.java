package dev.arbor.platform.database;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The failures an outage produces, as the pool, the driver, Spring and Axon throw them, and some that are not one. */
class DatabaseUnavailableTest {

    /** What HikariCP throws when no connection comes within its connection timeout. */
    private static final SQLTransientConnectionException POOL_TIMED_OUT = new SQLTransientConnectionException(
            "HikariPool-1 - Connection is not available, request timed out after 3000ms.");
    /** What PostgreSQL's driver throws when nothing listens on the port. */
    private static final SQLException CONNECTION_REFUSED = new SQLException(
            "Connection to localhost:15432 refused.", "08001");

    @Test
    void theDriversAndThePoolsConnectionFailuresAreOutages() {
        assertThat(DatabaseUnavailable.explains(POOL_TIMED_OUT)).isTrue();
        assertThat(DatabaseUnavailable.explains(CONNECTION_REFUSED)).isTrue();
        assertThat(DatabaseUnavailable.explains(new SQLException("An I/O error occurred", "08006"))).isTrue();
        assertThat(DatabaseUnavailable.explains(
                new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(DatabaseUnavailable.explains(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
    }

    @Test
    void springsTranslationsOfAnOutageAreOutages() {
        assertThat(DatabaseUnavailable.explains(
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", POOL_TIMED_OUT))).isTrue();
        assertThat(DatabaseUnavailable.explains(
                new CannotCreateTransactionException("Could not open JDBC Connection for transaction"))).isTrue();
    }

    /** The commit failed as PostgreSQL stopped; the rollback that followed found the connection already evicted. */
    @Test
    void aRollbackOnTheDeadConnectionOfAFailedCommitIsAnOutage() {
        TransactionSystemException rollbackFailed = new TransactionSystemException(
                "JDBC rollback failed", new SQLException("Connection is closed"));

        assertThat(DatabaseUnavailable.explains(rollbackFailed)).isTrue();
    }

    @Test
    void anOutageWrappedByAxonIsAnOutage() {
        JdbcException fetchingSegments = new JdbcException("Failed to fetch segments", CONNECTION_REFUSED);
        EventStoreException appending = new EventStoreException("Failed to append events", fetchingSegments);
        CommandExecutionException command = new CommandExecutionException("Command failed", appending);

        assertThat(DatabaseUnavailable.explains(fetchingSegments)).isTrue();
        assertThat(DatabaseUnavailable.explains(command)).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        SQLException duplicate = new SQLException("duplicate key value violates unique constraint", "23505");
        assertThat(DatabaseUnavailable.explains(duplicate)).isFalse();
        assertThat(DatabaseUnavailable.explains(new DataIntegrityViolationException("duplicate", duplicate))).isFalse();
        assertThat(DatabaseUnavailable.explains(new ConcurrencyException("appended concurrently"))).isFalse();
        assertThat(DatabaseUnavailable.explains(new SQLException("no SQLSTATE"))).isFalse();
        assertThat(DatabaseUnavailable.explains(new IllegalStateException("a bug", new NullPointerException())))
                .isFalse();
        assertThat(DatabaseUnavailable.explains(null)).isFalse();
    }

    @Test
    void aCauseChainWithALoopEnds() {
        RuntimeException inner = new RuntimeException("inner");
        RuntimeException outer = new RuntimeException("outer", inner);
        inner.initCause(outer);

        assertThat(DatabaseUnavailable.explains(outer)).isFalse();
    }
}
