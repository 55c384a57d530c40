package dev.arbor.query.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountStatus;
import dev.arbor.api.account.ChildAccountAdded;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Folds account events into {@code read_model.account}. Idempotent: a row remembers the sequence number of the
 * last event applied to it ({@code version}) and ignores anything not newer, so redelivered or replayed events
 * change nothing.
 */
@Component
@ProcessingGroup(AccountProjection.PROCESSING_GROUP)
class AccountProjection {

    static final String PROCESSING_GROUP = "accounts";

    private final JdbcClient jdbc;

    AccountProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AccountCreated event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.sql("""
                 INSERT INTO read_model.account (id, name, description, external_id, parent_id, root_id, depth,
                                                 status, seats_total, created_at, updated_at, version)
                 VALUES (:id, :name, :description, :externalId, :parentId, :rootId,
                         COALESCE((SELECT depth + 1 FROM read_model.account WHERE id = :parentId), 0),
                         :status, :seats, :at, :at, :version)
                 ON CONFLICT (id) DO NOTHING
                 """)
            .param("id", event.accountId())
            .param("name", event.name())
            .param("description", event.description())
            .param("externalId", event.externalId())
            .param("parentId", event.parentId())
            .param("rootId", event.rootId())
            .param("status", AccountStatus.ACTIVE.name())
            .param("seats", event.seats())
            .param("at", utc(at))
            .param("version", version)
            .update();
    }

    @EventHandler
    void on(ChildAccountAdded event, @Timestamp Instant at, @SequenceNumber long version) {
        jdbc.sql("""
                 UPDATE read_model.account
                    SET seats_total = seats_total - :seats, updated_at = :at, version = :version
                  WHERE id = :id AND version < :version
                 """)
            .param("id", event.accountId())
            .param("seats", event.seats())
            .param("at", utc(at))
            .param("version", version)
            .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
