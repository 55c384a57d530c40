package dev.arbor.command.user;

import dev.arbor.api.user.UserAccountChanged;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.user.UserReactivated;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user of one account. Its rules with the account (the account must accept it; an account with active users is
 * not deleted) are combined by {@link UserCommandHandler}; this aggregate keeps the user's own state.
 */
@Aggregate
public class User {

    @AggregateIdentifier
    private UUID id;
    private UUID rootId;
    private UUID accountId;
    private boolean active;

    protected User() {
        // for Axon
    }

    User(UserAdded added) {
        apply(added);
    }

    public UUID accountId() {
        return accountId;
    }

    public boolean isActive() {
        return active;
    }

    public void changeAccount(UUID newAccountId) {
        apply(new UserAccountChanged(id, rootId, accountId, newAccountId));
    }

    public void deactivate() {
        apply(new UserDeactivated(id, rootId, accountId));
    }

    public void reactivate() {
        apply(new UserReactivated(id, rootId, accountId));
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
}
