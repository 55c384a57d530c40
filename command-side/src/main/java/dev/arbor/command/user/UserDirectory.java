package dev.arbor.command.user;

import dev.arbor.api.user.Permission;
import dev.arbor.api.user.PermissionsChanged;
import dev.arbor.api.user.UserAccountChanged;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.user.UserReactivated;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Each user's account, state and permissions ({@code command_lookup.app_user}), kept from the user events in the
 * command's transaction: what authorizing a user's command needs, without loading its aggregate.
 */
@Component
public class UserDirectory {

    /** A user as authorization sees it. */
    public record Entry(UUID id, UUID accountId, boolean active, Set<Permission> permissions) {
    }

    private final JdbcClient jdbc;

    UserDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Entry> find(UUID userId) {
        return jdbc.sql("SELECT id, account_id, active, permissions FROM command_lookup.app_user WHERE id = ?")
                   .param(userId)
                   .query((rs, row) -> new Entry(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                                                 rs.getBoolean("active"),
                                                 Permission.parse((String[]) rs.getArray("permissions").getArray())))
                   .optional();
    }

    @EventHandler
    void on(UserAdded event) {
        jdbc.sql("INSERT INTO command_lookup.app_user (id, account_id, active) VALUES (?, ?, TRUE)")
            .params(event.userId(), event.accountId())
            .update();
    }

    @EventHandler
    void on(UserAccountChanged event) {
        jdbc.sql("UPDATE command_lookup.app_user SET account_id = ? WHERE id = ?")
            .params(event.toAccountId(), event.userId()).update();
    }

    @EventHandler
    void on(UserDeactivated event) {
        jdbc.sql("UPDATE command_lookup.app_user SET active = FALSE WHERE id = ?").param(event.userId()).update();
    }

    @EventHandler
    void on(UserReactivated event) {
        jdbc.sql("UPDATE command_lookup.app_user SET active = TRUE WHERE id = ?").param(event.userId()).update();
    }

    @EventHandler
    void on(PermissionsChanged event) {
        jdbc.sql("UPDATE command_lookup.app_user SET permissions = ? WHERE id = ?")
            .params(Permission.names(event.permissions()), event.userId())
            .update();
    }
}
