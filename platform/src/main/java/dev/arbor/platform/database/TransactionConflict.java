package dev.arbor.platform.database;

import org.springframework.dao.PessimisticLockingFailureException;

import java.sql.SQLException;

/**
 * Tells a transaction that lost to a concurrent one inside PostgreSQL: a deadlock (SQLSTATE 40P01, one of two
 * appends to the same aggregate waiting on each other's unique-index entries) or a serialization failure (40001).
 * PostgreSQL rolled the whole transaction back, so running it again is safe. Axon recognises neither: it passes the
 * driver's exception on, wrapped in an {@code EventStoreException}.
 */
public final class TransactionConflict {

    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private TransactionConflict() {
    }

    public static boolean explains(Throwable failure) {
        return Causes.anyMatch(failure, cause -> cause instanceof PessimisticLockingFailureException
                || cause instanceof SQLException sql
                   && (SERIALIZATION_FAILURE.equals(sql.getSQLState()) || DEADLOCK_DETECTED.equals(sql.getSQLState())));
    }
}
