package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.ChangeLimits;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.MoveAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.PatchLimits;
import dev.arbor.api.account.ReactivateAccount;
import dev.arbor.api.account.SetSeats;
import dev.arbor.api.account.Seats;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Commands that change an account and its parent or child together. Both aggregates are loaded into the command's
 * unit of work, so their events are appended in one transaction, or none is. Each gets an event, so a concurrent
 * command on either account, on this node or another, fails on the event store's unique
 * {@code (aggregate_identifier, sequence_number)} instead of interleaving. Pairs are loaded in id order
 * ({@link AccountPair}). Each rule is one entry point of {@link Account} that takes both accounts; this handler
 * finds and loads them, and supplies what no aggregate holds (the tree's shape, the children's limits).
 */
@Component
public class AccountTreeCommandHandler {

    private final Repository<Account> accounts;
    private final AccountDirectory directory;
    private final AccountMembers members;
    private final int maxDepth;

    public AccountTreeCommandHandler(Repository<Account> accounts, AccountDirectory directory, AccountMembers members,
                                     @Value("${arbor.max-depth:10}") int maxDepth) {
        this.accounts = accounts;
        this.directory = directory;
        this.members = members;
        this.maxDepth = maxDepth;
    }

    /**
     * The parent decides (seats, status, depth) and the child is created in the same unit of work: both events are
     * appended in one transaction, or neither is.
     */
    @CommandHandler
    public UUID handle(CreateChildAccount command, MetaData metaData) throws Exception {
        directory.lockTreeOf(command.parentId(), false);
        AccountDirectory.Node parentNode = directory.require(command.parentId());
        AccountCreated childCreated = accounts.load(command.parentId().toString())
                                              .invoke(parent -> parent.addChild(command, parentNode, maxDepth));
        accounts.newInstance(() -> new Account(childCreated, command.enabled(), CommandCaller.of(metaData)));
        return command.childId();
    }

    /**
     * Moves a subtree. Cycles and depth depend on the whole tree, which no aggregate holds, so a move locks the tree
     * exclusively (child creation takes the lock shared) and reads the directory only once it holds the lock.
     */
    @CommandHandler
    public UUID handle(MoveAccount command, MetaData metaData) {
        directory.lockTreeOf(command.accountId(), true);
        AccountDirectory.Node moved = directory.require(command.accountId());
        AccountDirectory.Node target = directory.require(command.newParentId());
        requireMovable(moved, target);
        if (target.id().equals(moved.parentId())) {
            return command.accountId();
        }
        moved.requireLeavableBy(CommandCaller.of(metaData), "Account " + moved.id());
        UUID oldParentId = moved.parentId();
        List<UUID> ids = Stream.of(moved.id(), oldParentId, target.id()).sorted().toList();
        Map<UUID, Aggregate<Account>> loaded = new HashMap<>();
        ids.forEach(id -> loaded.put(id, accounts.load(id.toString())));
        Aggregate<Account> account = loaded.get(moved.id());
        if (!oldParentId.equals(account.invoke(Account::parentId))) {
            throw new ConcurrencyException("Account " + moved.id() + " moved while the command was handled");
        }
        Account.move(account, loaded.get(oldParentId), loaded.get(target.id()), CommandCaller.of(metaData));
        return command.accountId();
    }

    private void requireMovable(AccountDirectory.Node moved, AccountDirectory.Node target) {
        if (moved.parentId() == null) {
            throw new RuleViolation(ErrorCode.ROOT_ACCOUNT, "Account " + moved.id() + " is an organization's root.");
        }
        if (!moved.rootId().equals(target.rootId())) {
            throw new RuleViolation(ErrorCode.DIFFERENT_ROOT,
                                    "Account " + target.id() + " belongs to another organization.");
        }
        if (target.isWithinSubtreeOf(moved.id())) {
            throw new RuleViolation(ErrorCode.MOVE_CYCLE, "Account " + target.id() + " is " + moved.id()
                    + " itself or one of its descendants.");
        }
        if (target.suspended()) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED,
                                    "Account " + target.id() + " or one of its ancestors is suspended.");
        }
        int deepest = target.depth() + 1 + directory.subtreeHeight(moved.id());
        if (deepest > maxDepth) {
            throw new RuleViolation(ErrorCode.DEPTH_LIMIT, "Under " + target.id() + " the subtree would reach depth "
                    + deepest + "; the deepest allowed is " + maxDepth + ".");
        }
    }

    @CommandHandler
    public UUID handle(MoveSeats command) {
        AccountPair pair = AccountPair.load(accounts, command.accountId(), command.toAccountId());
        Account.moveSeats(pair.of(command.accountId()), pair.of(command.toAccountId()), command.seats());
        return command.accountId();
    }

    @CommandHandler
    public UUID handle(SetSeats command) {
        Seats.requireAtMost(command.seats(), "The seat total");
        UUID parentId = parentOf(command.accountId()).orElseThrow(() -> new RuleViolation(
                ErrorCode.ROOT_ACCOUNT, "Account " + command.accountId() + " is an organization's root; "
                        + "its seats change only through seat tokens."));
        AccountPair pair = loadWithParent(command.accountId(), parentId);
        long difference = command.seats() - pair.of(command.accountId()).invoke(Account::seats);
        if (difference > 0) {
            Account.moveSeats(pair.of(parentId), pair.of(command.accountId()), difference);
        } else if (difference < 0) {
            Account.moveSeats(pair.of(command.accountId()), pair.of(parentId), -difference);
        }
        return command.accountId();
    }

    /**
     * Deletes an account, with {@code deactivateUsers} after deactivating its active users. Those are loaded before
     * the accounts, the order in which every user command loads them (so two commands never wait for each other's
     * locks), from the user lookup's candidates. The account, loaded after them, must count exactly the users found:
     * otherwise a user joined or left in between, and the command is retried on fresh state. A user joining later
     * (added, moved in, reactivated) appends to the account's stream as this command does, so one of the two
     * conflicts; once this one has committed, the account is deleted and refuses it. No user stays active in a
     * deleted account.
     */
    @CommandHandler
    public UUID handle(DeleteAccount command, MetaData metaData) {
        UUID accountId = command.accountId();
        UUID parentId = parentOf(accountId).orElseThrow(() -> new RuleViolation(
                ErrorCode.ROOT_ACCOUNT, "Account " + accountId + " is an organization's root."));
        CommandCaller caller = CommandCaller.of(metaData);
        if (!command.deactivateUsers()) {
            AccountPair pair = loadWithParent(accountId, parentId);
            Account.delete(pair.of(accountId), pair.of(parentId), caller);
            return accountId;
        }
        List<AccountMembers.Member> users = members.loadActive(accountId, directory.activeUsersOf(accountId));
        AccountPair pair = loadWithParent(accountId, parentId);
        if (pair.of(accountId).invoke(Account::activeUserCount) != users.size()) {
            throw new ConcurrencyException("The users of account " + accountId + " changed while the command was handled");
        }
        Account.deleteWithUsers(pair.of(accountId), pair.of(parentId), users, caller);
        return accountId;
    }

    @CommandHandler
    public UUID handle(ReactivateAccount command, MetaData metaData) {
        UUID parentId = parentOf(command.accountId()).orElseThrow(() -> new RuleViolation(
                ErrorCode.NOT_DELETED, "Account " + command.accountId() + " is a root, which is never deleted."));
        AccountPair pair = loadWithParent(command.accountId(), parentId);
        Account.reactivate(pair.of(command.accountId()), pair.of(parentId), command.seats(),
                           CommandCaller.of(metaData));
        return command.accountId();
    }

    /**
     * The account's children and their limits are the directory's, read once the account is loaded: every change
     * to them (a child added, moved in or out, deleted, reactivated, or its limits changed) appends to this
     * account's stream, so one committed after the read makes this command's own append conflict.
     */
    @CommandHandler
    public UUID handle(ChangeLimits command) {
        return changeLimits(command.accountId(), current -> command.limits());
    }

    /**
     * A merge patch of the limits: the resulting map is worked out from the account's own limits once it is loaded
     * (so a concurrent change of them makes this command's append conflict), then checked and recorded as a
     * {@link ChangeLimits} of that map.
     */
    @CommandHandler
    public UUID handle(PatchLimits command) {
        return changeLimits(command.accountId(), current -> Account.mergedLimits(current, command.patch()));
    }

    private UUID changeLimits(UUID accountId, UnaryOperator<Map<String, Integer>> wantedFrom) {
        Optional<UUID> knownParent = parentOf(accountId);
        if (knownParent.isEmpty()) {
            Aggregate<Account> root = accounts.load(accountId.toString());
            Map<String, Integer> wanted = wantedFrom.apply(root.invoke(Account::limits));
            List<UUID> childrenAbove = directory.childrenAbove(accountId, wanted);
            root.execute(account -> account.changeRootLimits(wanted, childrenAbove));
            return accountId;
        }
        UUID parentId = knownParent.get();
        AccountPair pair = loadWithParent(accountId, parentId);
        Map<String, Integer> wanted = wantedFrom.apply(pair.of(accountId).invoke(Account::limits));
        List<UUID> childrenAbove = directory.childrenAbove(accountId, wanted);
        Account.changeLimits(pair.of(accountId), pair.of(parentId), wanted, childrenAbove);
        return accountId;
    }

    /** The parent as the directory knows it (empty for a root), found without locking the account. */
    private Optional<UUID> parentOf(UUID accountId) {
        return Optional.ofNullable(directory.require(accountId).parentId());
    }


    /** Loads an account and its parent, and checks that the parent did not change since the directory read. */
    private AccountPair loadWithParent(UUID accountId, UUID parentId) {
        AccountPair pair = AccountPair.load(accounts, accountId, parentId);
        if (!parentId.equals(pair.of(accountId).invoke(Account::parentId))) {
            throw new ConcurrencyException("Account " + accountId + " moved while the command was handled");
        }
        return pair;
    }
}
