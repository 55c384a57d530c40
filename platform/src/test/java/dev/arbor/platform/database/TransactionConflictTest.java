package dev.arbor.platform.database;

import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Transactions PostgreSQL rolled back for a concurrent one, as Axon and Spring pass them on, and other failures. */
class TransactionConflictTest {

    /** What an append gets when PostgreSQL breaks a deadlock between two appends to one aggregate. */
    private static final SQLException DEADLOCK = new SQLException("ERROR: deadlock detected", "40P01");

    @Test
    void aDeadlockOrASerializationFailureIsAConflictHoweverWrapped() {
        assertThat(TransactionConflict.explains(new EventStoreException("An event could not be stored", DEADLOCK)))
                .isTrue();
        assertThat(TransactionConflict.explains(new SQLException("could not serialize access", "40001"))).isTrue();
        assertThat(TransactionConflict.explains(new CannotAcquireLockException("lock timeout"))).isTrue();
    }

    @Test
    void otherDatabaseFailuresAreNot() {
        assertThat(TransactionConflict.explains(new SQLException("duplicate key value", "23505"))).isFalse();
        assertThat(TransactionConflict.explains(new SQLException("Connection refused", "08001"))).isFalse();
        assertThat(TransactionConflict.explains(new IllegalStateException("bug"))).isFalse();
    }
}
