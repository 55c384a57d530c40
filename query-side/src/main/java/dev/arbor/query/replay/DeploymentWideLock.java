package dev.arbor.query.replay;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.springframework.jdbc.UncategorizedSQLException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A session-level advisory lock named {@code name}, so that a job runs on one query node of the deployment at a time
 * (409 {@code PROCESSOR_BUSY} on any other), held on a connection of its own for as long as the job runs. The
 * connection stays in autocommit, so the lock holds no transaction open: an open transaction holds back the
 * database's xmin horizon, and then no row version dead since the job began can be pruned, in the live tables or in
 * the job's own, whose busiest rows a fold updates thousands of times (a verification was quadratic: a 230,000-event
 * store had folded a third of it after 11 minutes). The lock ends with the connection should the process die.
 */
final class DeploymentWideLock implements AutoCloseable {

    private final Connection connection;
    private final String name;

    /** Takes the lock, or refuses with {@code busy} as the problem's detail when another session holds it. */
    DeploymentWideLock(DataSource dataSource, String name, String busy) {
        this.name = name;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException failure) {
            throw new UncategorizedSQLException("taking the lock " + name, null, failure);
        }
        try {
            connection.setAutoCommit(true);
            if (advisory("pg_try_advisory_lock")) {
                return;
            }
        } catch (SQLException failure) {
            discard();
            throw new UncategorizedSQLException("taking the lock " + name, null, failure);
        }
        discard();
        throw new RuleViolation(ErrorCode.PROCESSOR_BUSY, busy);
    }

    private boolean advisory(String function) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet answer = statement.executeQuery("SELECT " + function + "(hashtext('" + name + "'))")) {
            return answer.next() && answer.getBoolean(1);
        }
    }

    /** Fails when the lock's connection has broken: its session, and the lock with it, are gone. */
    void requireHeld() {
        try {
            if (connection.isValid(5)) {
                return;
            }
        } catch (SQLException broken) {
            // as invalid
        }
        throw new IllegalStateException("The lock " + name + " was lost with its database connection.");
    }

    @Override
    public void close() {
        try (connection) {
            advisory("pg_advisory_unlock");
        } catch (SQLException failure) {
            // back in the pool the connection would hold the lock for good: the pool must not have it again
            abort();
            throw new UncategorizedSQLException("releasing the lock " + name, null, failure);
        }
    }

    private void discard() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            abort();
        }
    }

    private void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException ignored) {
            // the connection is broken already, and its session, lock and all, with it
        }
    }
}
