package dev.arbor.query.user;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.query.processing.ReadModelWriter;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.PermissionsChanged;
import dev.arbor.api.user.UserAccountChanged;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.user.UserReactivated;
import dev.arbor.api.user.UserStatus;
import dev.arbor.query.processing.Replay;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.replay.ResetContext;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Folds user events into {@code app_user}; idempotent through each row's version, like accounts. A new user's row
 * waits for the batch ({@link ReadModelWriter}); changes to it run after it.
 */
@Component
@ProcessingGroup(ProcessingGroups.PROJECTION)
class UserProjection {

    private static final ReadModelWriter.Write ADDED = ReadModelWriter.statement("""
            INSERT INTO app_user (id, email, name, account_id, status, created_at, version)
            VALUES (:id, :email, :name, :accountId, 'ACTIVE', :at, :version) ON CONFLICT (id) DO NOTHING""");

    private final ReadModelWriter writer;

    UserProjection(ReadModelWriter writer) {
        this.writer = writer;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            writer.sql("TRUNCATE app_user").update();
        }
    }

    @EventHandler
    void on(UserAdded event, @Timestamp Instant at, @SequenceNumber long version) {
        writer.add(ReadModelWriter.Phase.CREATE, ADDED,
                       Map.of("id", event.userId(), "email", event.email(), "name", event.name(),
                              "accountId", event.accountId(), "at", at.atOffset(ZoneOffset.UTC), "version", version));
    }

    @EventHandler
    void on(UserAccountChanged event, @SequenceNumber long version) {
        set(event.userId(), "account_id", event.toAccountId(), version);
    }

    @EventHandler
    void on(UserDeactivated event, @SequenceNumber long version) {
        set(event.userId(), "status", UserStatus.DEACTIVATED.name(), version);
    }

    @EventHandler
    void on(UserReactivated event, @SequenceNumber long version) {
        set(event.userId(), "status", UserStatus.ACTIVE.name(), version);
    }

    @EventHandler
    void on(PermissionsChanged event, @SequenceNumber long version) {
        set(event.userId(), "permissions", Permission.names(event.permissions()), version);
    }

    private void set(UUID userId, String column, Object value, long version) {
        writer.sql("UPDATE app_user SET " + column + " = ?, version = ? WHERE id = ? AND version < ?")
            .params(value, version, userId, version)
            .update();
    }
}
