package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

/**
 * One account of an organization's tree: the consistency boundary for its own seats and status.
 * Command handlers decide and {@code apply}; event-sourcing handlers only set state.
 */
@Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger", cache = "accountCache")
public class Account {

    @AggregateIdentifier
    private UUID id;
    private UUID rootId;
    private long seats;

    protected Account() {
        // for Axon: state is rebuilt from events or a snapshot
    }

    @CommandHandler
    public Account(CreateRootAccount command) {
        requireNonNegative(command.seats());
        apply(new AccountCreated(command.accountId(), command.accountId(), null, command.name(),
                                 command.description(), command.externalId(), command.seats()));
    }

    private Account(AccountCreated created) {
        apply(created);
    }

    @CommandHandler
    public void handle(CreateChildAccount command) throws Exception {
        requireNonNegative(command.seats());
        requireFreeSeats(command.seats());
        apply(new ChildAccountAdded(id, rootId, command.childId(), command.seats()));
        // Spawns the child in the same unit of work: both events are appended in one transaction, or neither is.
        createNew(Account.class, () -> new Account(new AccountCreated(
                command.childId(), rootId, id, command.name(), command.description(), command.externalId(),
                command.seats())));
    }

    private static void requireNonNegative(long seats) {
        if (seats < 0) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "Seats must not be negative; got " + seats + ".");
        }
    }

    private void requireFreeSeats(long wanted) {
        if (wanted > seats) {
            throw new RuleViolation(ErrorCode.INSUFFICIENT_SEATS,
                                    "Account " + id + " has " + seats + " free seats; " + wanted + " requested.");
        }
    }

    @EventSourcingHandler
    void on(AccountCreated event) {
        id = event.accountId();
        rootId = event.rootId();
        seats = event.seats();
    }

    @EventSourcingHandler
    void on(ChildAccountAdded event) {
        seats -= event.seats();
    }
}
