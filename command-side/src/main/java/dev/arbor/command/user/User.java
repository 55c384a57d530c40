package dev.arbor.command.user;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.user.ChangePermissions;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.PermissionsChanged;
import dev.arbor.api.user.UserAccountChanged;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.user.UserReactivated;
import dev.arbor.command.account.AccountMember;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user of one account. Its rules with the account (the account must accept it; an account with active users is
 * not deleted) are combined by {@link UserCommandHandler}; this aggregate keeps the user's own state.
 */
@Aggregate
public class User implements AccountMember {

    @AggregateIdentifier
    private UUID id;
    private UUID rootId;
    private UUID accountId;
    private boolean active;
    private Set<Permission> permissions = EnumSet.noneOf(Permission.class);

    protected User() {
        // for Axon
    }

    User(UserAdded added) {
        apply(added);
    }

    @Override
    public UUID userId() {
        return id;
    }

    @Override
    public UUID accountId() {
        return accountId;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    /**
     * Moves the user to another account, where it goes on holding its permissions: as strong an act as granting
     * them there. So a user moves only users whose every permission it holds itself, as it grants only those;
     * otherwise it could move a stronger user up into its own account and have that user grant it the rest.
     */
    public void changeAccount(UUID newAccountId, CommandCaller mover) {
        requireHeldBy(mover, "moving");
        apply(new UserAccountChanged(id, rootId, accountId, newAccountId));
    }

    public void deactivate() {
        apply(new UserDeactivated(id, rootId, accountId));
    }

    /** Reactivating a user gives it back its permissions, so it is as strong an act as granting them. */
    public void reactivate(CommandCaller reactivator) {
        requireHeldBy(reactivator, "reactivating");
        apply(new UserReactivated(id, rootId, accountId));
    }

    private void requireHeldBy(CommandCaller caller, String act) {
        Set<Permission> lacking = caller.lacking(permissions);
        if (!lacking.isEmpty()) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "User " + id + " holds permissions you do not ("
                    + String.join(", ", Permission.names(lacking)) + "); " + act + " it is as much as granting them. "
                    + "Revoke them first, or leave it to a user who holds them.");
        }
    }

    @CommandHandler
    public UUID handle(ChangePermissions command) {
        Set<Permission> grant = command.grant() == null ? Set.of() : command.grant();
        Set<Permission> revoke = command.revoke() == null ? Set.of() : command.revoke();
        if (grant.stream().anyMatch(revoke::contains)) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "A permission cannot be granted and revoked at once.");
        }
        Set<Permission> now = EnumSet.noneOf(Permission.class);
        now.addAll(permissions);
        now.addAll(grant);
        now.removeAll(revoke);
        if (!now.equals(permissions)) {
            Set<Permission> granted = EnumSet.copyOf(now);
            granted.removeAll(permissions);
            Set<Permission> revoked = EnumSet.noneOf(Permission.class);
            revoked.addAll(permissions);
            revoked.removeAll(now);
            apply(new PermissionsChanged(id, rootId, accountId, granted, revoked, now));
        }
        return id;
    }

    @EventSourcingHandler
    void on(UserAdded event) {
        id = event.userId();
        rootId = event.rootId();
        accountId = event.accountId();
        active = true;
    }

    @EventSourcingHandler
    void on(UserAccountChanged event) {
        accountId = event.toAccountId();
    }

    @EventSourcingHandler
    void on(UserDeactivated event) {
        active = false;
    }

    @EventSourcingHandler
    void on(UserReactivated event) {
        active = true;
    }

    @EventSourcingHandler
    void on(PermissionsChanged event) {
        permissions = event.permissions().isEmpty() ? EnumSet.noneOf(Permission.class)
                                                    : EnumSet.copyOf(event.permissions());
    }
}
