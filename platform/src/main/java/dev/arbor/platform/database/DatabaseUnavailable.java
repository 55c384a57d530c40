package dev.arbor.platform.database;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a failure caused by the database being out of reach (stopped, restarting, the network to it down, the
 * connection pool waiting in vain) from every other failure. Such a failure says nothing about the request: it is
 * answered 503 with {@code Retry-After}, and background work logs a line and tries again later.
 * <p>The cause chain is walked because the same outage arrives in many wrappings: Spring's translation
 * ({@link org.springframework.jdbc.CannotGetJdbcConnectionException}), Axon's ({@code EventStoreException},
 * {@code JdbcException}, {@code CommandExecutionException}), or the driver's bare {@link SQLException}.
 * <p>A {@link TransactionSystemException} is a commit or rollback the connection could not carry out. When PostgreSQL
 * goes away during a commit, Spring rolls back on the dead connection and reports only that rollback's failure, with
 * Hikari's "Connection is closed", which has no SQLSTATE; the commit's own failure is only logged. Whether such a
 * command committed is unknown: the client retries it, with its {@code Idempotency-Key} to run it at most once.
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean explains(Throwable failure) {
        return Causes.anyMatch(failure, DatabaseUnavailable::isOutage);
    }

    private static boolean isOutage(Throwable failure) {
        return failure instanceof DataAccessResourceFailureException
                || failure instanceof TransientDataAccessResourceException
                || failure instanceof CannotCreateTransactionException
                || failure instanceof TransactionSystemException
                || failure instanceof SQLTransientConnectionException
                || failure instanceof SQLNonTransientConnectionException
                || failure instanceof SQLRecoverableException
                || failure instanceof SQLException sql && isOutageState(sql.getSQLState());
    }

    /**
     * SQLSTATE class 08 is a connection exception (PostgreSQL's driver uses 08001 when it cannot connect, 08006 when
     * a connection breaks); 57P01-57P03 are the server shutting down, crashing or not yet accepting connections.
     */
    private static boolean isOutageState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
}
