package dev.arbor.command.account;

import dev.arbor.api.account.AccountConfiguration;
import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountDetailsUpdated;
import dev.arbor.api.account.AccountLabel;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.AccountStatus;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.AccountUnsuspended;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.api.account.ChildAccountAttached;
import dev.arbor.api.account.ChildAccountDetached;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.ChildAccountRestored;
import dev.arbor.api.account.ChildLimitsChanged;
import dev.arbor.api.account.ConfigurationUpdated;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.SeatsGranted;
import dev.arbor.api.account.SeatsReceived;
import dev.arbor.api.account.SeatsSent;
import dev.arbor.api.account.SuspendAccount;
import dev.arbor.api.account.UnsuspendAccount;
import dev.arbor.api.account.UpdateAccountDetails;
import dev.arbor.api.account.UpdateConfiguration;
import dev.arbor.api.account.ReportUsage;
import dev.arbor.api.account.UsageReported;
import dev.arbor.api.account.UserAttached;
import dev.arbor.api.account.UserDetached;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.account.Seats;
import dev.arbor.api.user.AddUser;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.UserAdded;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One account of an organization's tree: the consistency boundary for its own seats, status, limits and
 * configuration. Its state has a fixed size: it counts its children, active users and devices, and the directories
 * answer which they are. A rule that spans two accounts (seat moves, deletion, reactivation, moves, limits against
 * the parent, a user's move) has one static entry point that takes both, which {@link AccountTreeCommandHandler}
 * (and {@code UserCommandHandler}) call with both loaded into one unit of work; its halves are private. Command
 * handlers and rule methods decide and {@code apply}; event-sourcing handlers only set state.
 * <p>
 * Revision 2 holds counts where revision 1 (unnamed) held the ids of children (with their limits), active users and
 * devices. A revision 1 snapshot does not pass the snapshot filter Axon derives from {@code @Revision}: the account
 * loads from its events instead, and its next snapshot is of revision 2.
 */
@Revision("2")
@org.axonframework.spring.stereotype.Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger",
                                               cache = "accountCache")
public class Account {

    private static final int MAX_PROPERTIES = 100;
    private static final int MAX_PROPERTY_KEY = 64;
    private static final int MAX_PROPERTY_VALUE = 1024;
    /** As many limit keys as properties: each is kept on the account, in the account directory and in every view. */
    private static final int MAX_LIMITS = MAX_PROPERTIES;
    private static final int MAX_LIMIT_KEY = MAX_PROPERTY_KEY;

    @AggregateIdentifier
    private UUID id;
    private UUID rootId;
    private UUID parentId;
    private AccountStatus status;
    private String name;
    private String description;
    private String externalId;
    private String label;
    private long seats;
    private Map<String, Integer> limits;
    /** The last usage the platform reported; a snapshot from before usage was reported has none, as it should. */
    private Map<String, Integer> usage = Map.of();
    private AccountConfiguration configuration;
    /**
     * Counts, not ids: what the rules need (no deletion while any remain; a device takes a seat). Which child, user
     * or device belongs here is answered by the other side of a rule (the child, the user) or by a lookup table
     * written in the same transaction as the events (docs/architecture.md).
     */
    private int childCount;
    private int activeUserCount;
    private int deviceCount;
    /** The current suspension is the platform admin's: only the admin lifts it. */
    private boolean suspendedByAdmin;
    /** The account was suspended when it was deleted: reactivating it would lift that suspension. */
    private boolean suspendedWhenDeleted;

    protected Account() {
        // for Axon: state is rebuilt from events or a snapshot
    }

    @CommandHandler
    public Account(CreateRootAccount command, MetaData metaData) {
        requireNotNegative(command.seats());
        AccountLabel.requireValid(command.label());
        start(new AccountCreated(command.accountId(), command.accountId(), null, command.name(),
                                 command.description(), command.externalId(), command.label(), command.seats(),
                                 Map.of()),
              command.enabled(), CommandCaller.of(metaData));
    }

    /**
     * A child's first events: {@link AccountTreeCommandHandler} creates it from what {@link #addChild} answers, and
     * suspended unless {@code enabled}.
     */
    Account(AccountCreated created, boolean enabled, CommandCaller caller) {
        start(created, enabled, caller);
    }

    /**
     * Applies the account's first event and, unless {@code enabled}, suspends it with the same event as a suspension
     * right after its creation, so every reader of suspensions (the query side, the directory, the rules above)
     * knows it already; the caller needs what suspending needs.
     * <p>
     * The suspension is decided in {@code andThen}, not after {@code apply}: while a constructor runs, Axon has no
     * aggregate yet and only queues what it applies, so no event-sourcing handler has run and the state is empty
     * (a null status, which {@link #suspend} takes for "not active" and so appended nothing). Axon runs
     * {@code andThen} once the queued event has been applied, on the state it set.
     */
    private void start(AccountCreated created, boolean enabled, CommandCaller caller) {
        if (!enabled && !caller.holds(Permission.ACCOUNTS_EDIT)) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Creating account " + created.accountId()
                    + " suspended suspends it: this needs the permission ACCOUNTS_EDIT.");
        }
        apply(created).andThen(() -> {
            if (!enabled) {
                suspend(null, caller);
            }
        });
    }

    /**
     * The details and, with {@code enabled}, the suspension: changed exactly as {@link SuspendAccount} and
     * {@link UnsuspendAccount} change it, in the same unit of work as the details. A label its parent's other live
     * children have is refused by the directory as the event is applied (409 {@code DUPLICATE_LABEL}).
     */
    @CommandHandler
    public UUID handle(UpdateAccountDetails command, MetaData metaData) {
        requireNotDeleted();
        String newName = command.name() == null ? name : command.name();
        String newDescription = cleared(command.description(), description);
        String newExternalId = cleared(command.externalId(), externalId);
        String newLabel = cleared(command.label(), label);
        AccountLabel.requireValid(newLabel);
        if (!newName.equals(name) || !Objects.equals(newDescription, description)
                || !Objects.equals(newExternalId, externalId) || !Objects.equals(newLabel, label)) {
            apply(new AccountDetailsUpdated(id, rootId, newName, newDescription, newExternalId, newLabel));
        }
        if (Boolean.FALSE.equals(command.enabled())) {
            suspend(null, CommandCaller.of(metaData));
        } else if (Boolean.TRUE.equals(command.enabled())) {
            unsuspend(CommandCaller.of(metaData));
        }
        return id;
    }

    /**
     * Suspends the account; the event records whether the platform admin did, since only the admin lifts the admin's
     * suspension. Repeating changes nothing, except that the admin suspending an account a user suspended makes
     * the suspension the admin's.
     */
    @CommandHandler
    public UUID handle(SuspendAccount command, MetaData metaData) {
        requireNotDeleted();
        suspend(command.reason(), CommandCaller.of(metaData));
        return id;
    }

    private void suspend(String reason, CommandCaller caller) {
        boolean byAdmin = caller.isAdmin();
        if (status == AccountStatus.ACTIVE || (status == AccountStatus.SUSPENDED && byAdmin && !suspendedByAdmin)) {
            apply(new AccountSuspended(id, rootId, reason, byAdmin));
        }
    }

    /** Lifts the suspension; one the platform admin imposed only the admin lifts. */
    @CommandHandler
    public UUID handle(UnsuspendAccount command, MetaData metaData) {
        requireNotDeleted();
        unsuspend(CommandCaller.of(metaData));
        return id;
    }

    private void unsuspend(CommandCaller caller) {
        if (status == AccountStatus.SUSPENDED) {
            if (suspendedByAdmin && !caller.isAdmin()) {
                throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Account " + id
                        + " was suspended by the platform admin; only the admin lifts that suspension.");
            }
            apply(new AccountUnsuspended(id, rootId));
        }
    }

    /**
     * Records the usage the platform measured, counter by counter; repeating the same report changes nothing. A
     * counter is named like a limit, and one above the limit of its name is reported over it by the query side, not
     * refused: the usage happened.
     */
    @CommandHandler
    public UUID handle(ReportUsage command) {
        requireNotDeleted();
        requireValidKeys(command.usage(), "usage counters", "Usage counter names");
        requireNotNegative(command.usage(), "Usage counter");
        if (!command.usage().equals(usage)) {
            apply(new UsageReported(id, rootId, Map.copyOf(command.usage())));
        }
        return id;
    }

    @CommandHandler
    public UUID handle(UpdateConfiguration command) {
        requireNotDeleted();
        if (command.defaultChildLimits() != null) {
            requireValidLimitKeys(command.defaultChildLimits());
        }
        AccountConfiguration wanted = new AccountConfiguration(
                command.billable() == null ? configuration.billable() : command.billable(),
                merged(configuration.properties(), command.properties()),
                merged(configuration.defaultChildLimits(), command.defaultChildLimits()));
        requireValidProperties(wanted.properties());
        requireNotNegative(wanted.defaultChildLimits());
        requireValidLimitKeys(wanted.defaultChildLimits());
        requireWithin(wanted.defaultChildLimits(), limits, ErrorCode.LIMIT_EXCEEDS_PARENT,
                      "Default child limits exceed the account's own limits");
        if (!wanted.equals(configuration)) {
            apply(new ConfigurationUpdated(id, rootId, wanted));
        }
        return id;
    }

    // --- rules over two accounts: one entry point each, taking both sides --------------------------------------
    //
    // Each entry point runs its halves in the aggregates' own scopes (Aggregate.execute), so that each half applies
    // its events to its own stream; the halves are private, so no caller applies one without the other.

    /**
     * The parent's side of creating a child: hands it seats and default limits, and answers the child's first event,
     * from which {@link AccountTreeCommandHandler} creates the child in the same unit of work.
     * {@code self} is this account's place in the tree (its depth, whether an ancestor is suspended).
     */
    AccountCreated addChild(CreateChildAccount command, AccountDirectory.Node self, int maxDepth) {
        requireOpenForNewMembers(self);
        if (self.depth() + 1 > maxDepth) {
            throw new RuleViolation(ErrorCode.DEPTH_LIMIT, "A child of " + id + " would be at depth "
                    + (self.depth() + 1) + "; the deepest allowed is " + maxDepth + ".");
        }
        requireNotNegative(command.seats());
        requireFreeSeats(command.seats());
        AccountLabel.requireValid(command.label());
        apply(new ChildAccountAdded(id, rootId, command.childId(), command.seats()));
        return new AccountCreated(command.childId(), rootId, id, command.name(), command.description(),
                                  command.externalId(), command.label(), command.seats(),
                                  configuration.defaultChildLimits());
    }

    /** Moves {@code count} seats from {@code giver} to its parent or to one of its children, {@code taker}. */
    static void moveSeats(Aggregate<Account> giver, Aggregate<Account> taker, long count) {
        Account sender = state(giver);
        Account recipient = state(taker);
        giver.execute(account -> account.sendSeats(recipient, count));
        taker.execute(account -> account.receiveSeats(sender.id, count));
    }

    /**
     * Soft-deletes {@code child}, whose seats all go back to {@code parent}. A user does not delete a suspended
     * account: reactivating it would then lift the suspension without the permission (and, for the admin's
     * suspension, the standing) that lifting it takes.
     */
    static void delete(Aggregate<Account> child, Aggregate<Account> parent, CommandCaller caller) {
        UUID childId = requireParentOf(state(child), state(parent)).id;
        long returned = child.invoke(account -> account.delete(caller));
        parent.execute(account -> account.removeChild(childId, returned));
    }

    /**
     * Deactivates {@code users}, the active members of {@code child} (each as {@link #deactivateUser} does), then
     * deletes it as {@link #delete} does. Deactivating users takes {@code USERS_MANAGE}, as deactivating each one
     * does; asked for, it takes it whether or not the account has users, so what a request needs does not depend on
     * the state it meets.
     */
    static void deleteWithUsers(Aggregate<Account> child, Aggregate<Account> parent,
                                Collection<? extends AccountMembers.Member> users, CommandCaller caller) {
        if (!caller.holds(Permission.USERS_MANAGE)) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Deleting account " + state(child).id
                    + " with its users deactivates them: this needs the permission USERS_MANAGE too.");
        }
        users.forEach(user -> deactivateUser(child, user));
        delete(child, parent, caller);
    }

    /** {@code user}, an active member of {@code account}, is deactivated: the account releases it, then it records it. */
    public static void deactivateUser(Aggregate<Account> account, AccountMembers.Member user) {
        account.execute(released -> released.releaseUser(user));
        user.deactivate();
    }

    /**
     * Brings the deleted {@code child} back, with {@code withSeats} from {@code parent}, whose limits must cover the
     * child's again. It comes back active, so one that was suspended when it was deleted (only the admin deletes a
     * suspended account) is brought back only by the admin.
     */
    static void reactivate(Aggregate<Account> child, Aggregate<Account> parent, long withSeats,
                           CommandCaller caller) {
        Account reactivated = requireParentOf(state(child), state(parent));
        child.execute(account -> account.reactivate(withSeats, caller));
        parent.execute(account -> account.restoreChild(reactivated, withSeats));
    }

    /**
     * Moves {@code moved} from {@code oldParent} to {@code newParent}, which must be active and whose limits must
     * cover the moved account's. All three get an event, so a concurrent command on any of them conflicts.
     */
    static void move(Aggregate<Account> moved, Aggregate<Account> oldParent, Aggregate<Account> newParent,
                     CommandCaller caller) {
        Account child = requireParentOf(state(moved), state(oldParent));
        UUID newParentId = state(newParent).id;
        moved.execute(account -> account.moveTo(newParentId, caller));
        oldParent.execute(account -> account.detachChild(child.id));
        newParent.execute(account -> account.attachChild(child));
    }

    /**
     * Replaces a child's limits: within its parent's, and not below those of its own children that hold a limit
     * above {@code wanted} ({@code childrenAbove}, from the directory). The parent records the change, so that its
     * own limit changes conflict with it instead of undercutting it.
     */
    static void changeLimits(Aggregate<Account> child, Aggregate<Account> parent, Map<String, Integer> wanted,
                             Collection<UUID> childrenAbove) {
        Account changed = requireParentOf(state(child), state(parent));
        Map<String, Integer> parentLimits = state(parent).limits;
        Map<String, Integer> before = changed.limits;
        child.execute(account -> account.changeLimits(wanted, parentLimits, childrenAbove));
        if (!changed.limits.equals(before)) {
            parent.execute(account -> account.recordChildLimits(changed));
        }
    }

    /**
     * Replaces a root's limits; {@code childrenAbove} are its children that hold a limit above {@code wanted}, from
     * the directory.
     */
    void changeRootLimits(Map<String, Integer> wanted, Collection<UUID> childrenAbove) {
        changeLimits(wanted, null, childrenAbove);
    }

    /**
     * Moves {@code user}, a member of {@code from}, to {@code to} ({@code target} is {@code to}'s place in the tree):
     * {@code to} must be open for it even for an inactive user, whom neither account counts. Called before the user
     * records its move, so that {@code user} still names {@code from}.
     */
    public static void moveUser(Aggregate<Account> from, Aggregate<Account> to, AccountMember user,
                                AccountDirectory.Node target) {
        state(from).requireMember(user);
        if (user.isActive()) {
            to.execute(account -> account.attachUser(user.userId(), target));
            from.execute(account -> account.detachUser(user.userId()));
        } else {
            to.execute(account -> account.requireOpenForNewMembers(target));
        }
    }

    // --- rules of one account that a handler supplies facts to ----------------------------------------------
    // The user rules take the user itself, loaded in the same unit of work, rather than its id: the account keeps
    // only a count of its active users, so it checks from the user that the change it counts is real.

    /** A new user joins this account ({@code self} is its place in the tree); answers the user's first event. */
    public UserAdded addUser(AddUser command, AccountDirectory.Node self) {
        attachUser(command.userId(), self);
        return new UserAdded(command.userId(), rootId, id, command.email(), command.name());
    }

    /** {@code user}, an inactive member of this account, becomes active again; called before it records that. */
    public void readmitUser(AccountMember user, AccountDirectory.Node self) {
        requireMember(user);
        if (user.isActive()) {
            throw new IllegalStateException("User " + user.userId() + " is active already.");
        }
        attachUser(user.userId(), self);
    }

    /** {@code user}, an active member of this account, is deactivated; called before it records that. */
    public void releaseUser(AccountMember user) {
        requireMember(user);
        if (!user.isActive()) {
            throw new IllegalStateException("User " + user.userId() + " is not active.");
        }
        detachUser(user.userId());
    }

    private void attachUser(UUID userId, AccountDirectory.Node self) {
        requireOpenForNewMembers(self);
        apply(new UserAttached(id, rootId, userId));
    }

    private void detachUser(UUID userId) {
        apply(new UserDetached(id, rootId, userId));
    }

    private void requireMember(AccountMember user) {
        if (!id.equals(user.accountId())) {
            throw new IllegalStateException("User " + user.userId() + " belongs to " + user.accountId() + ", not to "
                                            + id + ".");
        }
    }

    public void registerDevice(RegisterDevice command, AccountDirectory.Node self) {
        requireOpenForNewMembers(self);
        requireFreeSeats(1);
        apply(new DeviceRegistered(id, rootId, command.deviceId(), command.serial(), command.name()));
    }

    /** {@code heldHere}: the device directory, read after this account was loaded, names this account as its holder. */
    public void removeDevice(UUID deviceId, boolean heldHere) {
        if (!heldHere) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No device " + deviceId + " in account " + id + ".");
        }
        apply(new DeviceRemoved(id, rootId, deviceId));
    }

    /** Seats the platform adds to the tree, through the seat token {@code tokenId}. */
    public void grantSeats(String tokenId, long count) {
        requireNotDeleted();
        Seats.requireRoomFor(seats, count, "Account " + id);
        apply(new SeatsGranted(id, rootId, tokenId, count));
    }

    UUID parentId() {
        return parentId;
    }

    long seats() {
        return seats;
    }

    int activeUserCount() {
        return activeUserCount;
    }

    Map<String, Integer> limits() {
        return limits;
    }

    /**
     * {@code current} with a JSON merge patch applied: a key given with a number is set, one given as null removed.
     * A null key stays in, for the limit rules to refuse as they refuse it in a whole map.
     */
    static Map<String, Integer> mergedLimits(Map<String, Integer> current, Map<String, Integer> patch) {
        return merged(current, patch);
    }

    // --- the halves of the two-account rules -----------------------------------------------------------------

    /** The giving side of a seat move: {@code taker} must be the parent or a child that is not deleted. */
    private void sendSeats(Account taker, long count) {
        requireNotDeleted();
        requirePositive(count);
        boolean toParent = taker.id.equals(parentId);
        boolean toChild = id.equals(taker.parentId) && taker.status != AccountStatus.DELETED;
        if (!toParent && !toChild) {
            throw new RuleViolation(ErrorCode.NOT_PARENT_OR_CHILD,
                                    "Account " + taker.id + " is neither the parent nor a child of " + id + ".");
        }
        requireFreeSeats(count);
        apply(new SeatsSent(id, rootId, taker.id, count));
    }

    private void receiveSeats(UUID sender, long count) {
        requireNotDeleted();
        Seats.requireRoomFor(seats, count, "Account " + id);
        apply(new SeatsReceived(id, rootId, sender, count));
    }

    /** Answers the seats handed back to the parent. */
    private long delete(CommandCaller caller) {
        requireNotDeleted();
        if (parentId == null) {
            throw new RuleViolation(ErrorCode.ROOT_ACCOUNT, "Account " + id + " is an organization's root.");
        }
        if (status == AccountStatus.SUSPENDED && !caller.isAdmin()) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED, "Account " + id
                    + " is suspended; lift the suspension before deleting it.");
        }
        if (childCount > 0) {
            throw new RuleViolation(ErrorCode.HAS_CHILDREN, "Account " + id + " has " + childCount
                    + " children that are not deleted; delete or move them first.");
        }
        if (activeUserCount > 0) {
            throw new RuleViolation(ErrorCode.HAS_USERS, "Account " + id + " has " + activeUserCount
                    + " active users; deactivate or move them first.");
        }
        if (deviceCount > 0) {
            throw new RuleViolation(ErrorCode.HAS_DEVICES, "Account " + id + " has " + deviceCount
                    + " devices; remove them first.");
        }
        long returned = seats;
        apply(new AccountDeleted(id, rootId, parentId, returned));
        return returned;
    }

    private void removeChild(UUID child, long seatsReturned) {
        Seats.requireRoomFor(seats, seatsReturned, "Account " + id);
        apply(new ChildAccountRemoved(id, rootId, child, seatsReturned));
    }

    private void reactivate(long withSeats, CommandCaller caller) {
        if (status != AccountStatus.DELETED) {
            throw new RuleViolation(ErrorCode.NOT_DELETED, "Account " + id + " is not deleted.");
        }
        if (suspendedWhenDeleted && !caller.isAdmin()) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Account " + id + " was suspended when it was "
                    + "deleted, and reactivating it would lift the suspension: only the platform admin does that.");
        }
        // seats handed over on reactivation move from the parent, as a seat transfer does
        if (withSeats > 0 && !caller.holds(Permission.SEATS_MANAGE)) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Reactivating account " + id + " with seats moves "
                    + "them from its parent: this needs the permission SEATS_MANAGE.");
        }
        apply(new AccountReactivated(id, rootId, parentId, withSeats));
    }

    /**
     * The parent's side of a reactivation: hands the child its seats and takes its limits back under its own. The
     * record of a restored child starts without limits (as {@link ChildAccountRestored} always did), so its limits
     * follow as a {@link ChildLimitsChanged} when it has any.
     */
    private void restoreChild(Account child, long withSeats) {
        if (status == AccountStatus.DELETED) {
            throw new RuleViolation(ErrorCode.PARENT_DELETED, "The parent account " + id + " is deleted.");
        }
        requireNotNegative(withSeats);
        requireFreeSeats(withSeats);
        requireWithin(child.limits, limits, ErrorCode.LIMIT_EXCEEDS_PARENT,
                      "The child's limits exceed the parent's; lower them before reactivating");
        apply(new ChildAccountRestored(id, rootId, child.id, withSeats));
        if (!child.limits.isEmpty()) {
            recordChildLimits(child);
        }
    }

    /**
     * The moving account's side of a move: it now hangs under {@code newParent}. The move carries the subtree's
     * seats from one branch to another, as a seat transfer would: a user needs {@code SEATS_MANAGE} for it unless the
     * account holds no seats and has no children (whose seats this account does not know). Without this, a user with
     * only the account permissions could move seats between siblings by creating a child with seats under one,
     * moving it under the other and deleting it there.
     */
    private void moveTo(UUID newParent, CommandCaller caller) {
        requireNotDeleted();
        if ((seats > 0 || childCount > 0) && !caller.holds(Permission.SEATS_MANAGE)) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Account " + id + " holds seats or has children, "
                    + "and moving it moves their seats to another branch: this needs the permission SEATS_MANAGE.");
        }
        apply(new AccountMoved(id, rootId, parentId, newParent));
    }

    private void detachChild(UUID child) {
        apply(new ChildAccountDetached(id, rootId, child));
    }

    /** The new parent's side of a move: it must be active and its limits must cover the child's. */
    private void attachChild(Account child) {
        requireNotDeleted();
        if (status == AccountStatus.SUSPENDED) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED, "Account " + id + " is suspended.");
        }
        requireWithin(child.limits, limits, ErrorCode.LIMIT_EXCEEDS_PARENT,
                      "The moved account's limits exceed the new parent's");
        apply(new ChildAccountAttached(id, rootId, child.id, Map.copyOf(child.limits)));
    }

    /**
     * Replaces this account's limits. They may not exceed the parent's ({@code parentLimits}, null for a root),
     * nor fall below a child's ({@code childrenAbove} hold a limit above {@code wanted}) or the defaults new
     * children get.
     */
    private void changeLimits(Map<String, Integer> wanted, Map<String, Integer> parentLimits,
                              Collection<UUID> childrenAbove) {
        requireNotDeleted();
        requireValidLimitKeys(wanted);
        requireNotNegative(wanted);
        if (parentLimits != null) {
            requireWithin(wanted, parentLimits, ErrorCode.LIMIT_EXCEEDS_PARENT, "Limits exceed the parent's");
        }
        Set<String> below = new TreeSet<>();
        childrenAbove.forEach(child -> below.add(child.toString()));
        if (!within(configuration.defaultChildLimits(), wanted)) {
            below.add("defaultChildLimits");
        }
        if (!below.isEmpty()) {
            throw new RuleViolation(ErrorCode.LIMIT_BELOW_CHILD, "Limits are below those of children: " + below);
        }
        if (!wanted.equals(limits)) {
            apply(new LimitsChanged(id, rootId, Map.copyOf(wanted)));
        }
    }

    private void recordChildLimits(Account child) {
        apply(new ChildLimitsChanged(id, rootId, child.id, Map.copyOf(child.limits)));
    }

    /**
     * {@code child} itself, once checked to be {@code parent}'s child: the two-account entry points act on a pair the
     * handler found in the directory, and the counts each side keeps are right only for a real parent and child.
     */
    private static Account requireParentOf(Account child, Account parent) {
        if (!parent.id.equals(child.parentId)) {
            throw new IllegalArgumentException("Account " + parent.id + " is not the parent of " + child.id + ".");
        }
        return child;
    }

    /** The aggregate behind Axon's wrapper, for the other side of a two-account rule to read. */
    private static Account state(Aggregate<Account> aggregate) {
        return aggregate.invoke(Function.identity());
    }

    // --- checks ----------------------------------------------------------------------------------------------

    private void requireNotDeleted() {
        if (status == AccountStatus.DELETED) {
            throw new RuleViolation(ErrorCode.ACCOUNT_DELETED, "Account " + id + " is deleted.");
        }
    }

    /** Nothing new is created in, or moved into, a deleted account or one that is effectively suspended. */
    private void requireOpenForNewMembers(AccountDirectory.Node self) {
        requireNotDeleted();
        if (status == AccountStatus.SUSPENDED || self.suspended()) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED,
                                    "Account " + id + " or one of its ancestors is suspended.");
        }
    }

    /** A seat count a command names: not negative, and not above what one account may hold. */
    private static void requireNotNegative(long count) {
        if (count < 0) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "Seats must not be negative; got " + count + ".");
        }
        Seats.requireAtMost(count, "The command");
    }

    private static void requirePositive(long count) {
        if (count <= 0) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "Seats must be positive; got " + count + ".");
        }
        Seats.requireAtMost(count, "The command");
    }

    private static void requireNotNegative(Map<String, Integer> limits) {
        requireNotNegative(limits, "Limit");
    }

    /** {@code what}: the values' name in the message ("Limit"). */
    private static void requireNotNegative(Map<String, Integer> wanted, String what) {
        wanted.forEach((key, value) -> {
            if (value == null || value < 0) {
                throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                        what + " " + key + " must be a non-negative number; got " + value + ".");
            }
        });
    }

    private void requireFreeSeats(long wanted) {
        long free = seats - deviceCount;
        if (wanted > free) {
            throw new RuleViolation(ErrorCode.INSUFFICIENT_SEATS,
                                    "Account " + id + " has " + free + " free seats; " + wanted + " requested.");
        }
    }

    private static void requireWithin(Map<String, Integer> wanted, Map<String, Integer> ceiling, ErrorCode code,
                                      String problem) {
        if (!within(wanted, ceiling)) {
            throw new RuleViolation(code, problem + ": " + new TreeMap<>(wanted) + " against "
                    + new TreeMap<>(ceiling) + ".");
        }
    }

    /** True when no key of {@code limits} exceeds the same key of {@code ceiling}; a key absent there is unlimited. */
    private static boolean within(Map<String, Integer> limits, Map<String, Integer> ceiling) {
        return limits.entrySet().stream().allMatch(
                limit -> !ceiling.containsKey(limit.getKey()) || limit.getValue() <= ceiling.get(limit.getKey()));
    }

    private static void requireValidLimitKeys(Map<String, Integer> limits) {
        requireValidKeys(limits, "limits", "Limit keys");
    }

    /**
     * At most {@value #MAX_LIMITS} keys of 1-{@value #MAX_LIMIT_KEY} characters, the bounds of limits, which usage
     * counters share as they are checked against them; {@code entries} and {@code keys} name them in the messages.
     */
    private static void requireValidKeys(Map<String, Integer> map, String entries, String keys) {
        if (map.size() > MAX_LIMITS) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                    "At most " + MAX_LIMITS + " " + entries + "; got " + map.size() + ".");
        }
        map.keySet().forEach(key -> {
            if (key == null || key.isBlank() || key.length() > MAX_LIMIT_KEY) {
                throw new RuleViolation(ErrorCode.VALIDATION_FAILED, keys + " are 1-" + MAX_LIMIT_KEY
                        + " characters; '" + abbreviated(String.valueOf(key)) + "' is not.");
            }
        });
    }

    private static void requireValidProperties(Map<String, String> properties) {
        if (properties.size() > MAX_PROPERTIES) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                    "At most " + MAX_PROPERTIES + " properties; got " + properties.size() + ".");
        }
        properties.forEach((key, value) -> {
            if (key.isBlank() || key.length() > MAX_PROPERTY_KEY || value.length() > MAX_PROPERTY_VALUE) {
                throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                        "Property keys are 1-" + MAX_PROPERTY_KEY + " characters and values at most "
                                                + MAX_PROPERTY_VALUE + "; '" + abbreviated(key) + "' is not.");
            }
        });
    }

    private static boolean isUserId(String actor) {
        try {
            UUID.fromString(actor);
            return true;
        } catch (IllegalArgumentException notAUuid) {
            return false;
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= MAX_PROPERTY_KEY ? text : text.substring(0, MAX_PROPERTY_KEY) + "...";
    }

    /** JSON merge patch of a map: a key mapped to null is removed, any other is set; a null patch changes nothing. */
    private static <V> Map<String, V> merged(Map<String, V> current, Map<String, V> patch) {
        if (patch == null) {
            return current;
        }
        Map<String, V> result = new HashMap<>(current);
        patch.forEach((key, value) -> {
            if (value == null) {
                result.remove(key);
            } else {
                result.put(key, value);
            }
        });
        return result;
    }

    /** A null update keeps the current value; an empty string clears it. */
    private static String cleared(String update, String current) {
        if (update == null) {
            return current;
        }
        return update.isEmpty() ? null : update;
    }

    // --- state -----------------------------------------------------------------------------------------------

    @EventSourcingHandler
    void on(AccountCreated event) {
        id = event.accountId();
        rootId = event.rootId();
        parentId = event.parentId();
        status = AccountStatus.ACTIVE;
        name = event.name();
        description = event.description();
        externalId = event.externalId();
        label = event.label();
        seats = event.initialSeats();
        limits = event.limits();
        configuration = AccountConfiguration.DEFAULT;
    }

    @EventSourcingHandler
    void on(ChildAccountAdded event) {
        seats = Math.subtractExact(seats, event.seats());
        childCount++;
    }

    @EventSourcingHandler
    void on(AccountDetailsUpdated event) {
        name = event.name();
        description = event.description();
        externalId = event.externalId();
        label = event.label();
    }

    @EventSourcingHandler
    void on(SeatsSent event) {
        seats = Math.subtractExact(seats, event.seats());
    }

    @EventSourcingHandler
    void on(SeatsReceived event) {
        seats = Math.addExact(seats, event.seats());
    }

    @EventSourcingHandler
    void on(SeatsGranted event) {
        seats = Math.addExact(seats, event.seats());
    }

    @EventSourcingHandler
    void on(UserAttached event) {
        activeUserCount++;
    }

    @EventSourcingHandler
    void on(UserDetached event) {
        activeUserCount--;
    }

    @EventSourcingHandler
    void on(DeviceRegistered event) {
        deviceCount++;
    }

    @EventSourcingHandler
    void on(DeviceRemoved event) {
        deviceCount--;
    }

    @EventSourcingHandler
    void on(AccountMoved event) {
        parentId = event.toParentId();
    }

    @EventSourcingHandler
    void on(ChildAccountDetached event) {
        childCount--;
    }

    @EventSourcingHandler
    void on(ChildAccountAttached event) {
        childCount++;
    }

    /**
     * Events written before {@code byAdmin} existed read it as false; for them the actor tells: a user's actor is its
     * id, a UUID, and anything else (the admin's subject) is the platform admin.
     */
    @EventSourcingHandler
    void on(AccountSuspended event, @MetaDataValue(EventMetadata.ACTOR) String actor) {
        status = AccountStatus.SUSPENDED;
        suspendedByAdmin = event.byAdmin() || (actor != null && !isUserId(actor));
    }

    @EventSourcingHandler
    void on(AccountUnsuspended event) {
        status = AccountStatus.ACTIVE;
        suspendedByAdmin = false;
    }

    @EventSourcingHandler
    void on(AccountDeleted event) {
        suspendedWhenDeleted = status == AccountStatus.SUSPENDED;
        status = AccountStatus.DELETED;
        seats = 0;
    }

    @EventSourcingHandler
    void on(ChildAccountRemoved event) {
        seats = Math.addExact(seats, event.seatsReturned());
        childCount--;
    }

    @EventSourcingHandler
    void on(AccountReactivated event) {
        status = AccountStatus.ACTIVE;
        suspendedByAdmin = false;
        suspendedWhenDeleted = false;
        seats = event.seats();
    }

    @EventSourcingHandler
    void on(ChildAccountRestored event) {
        seats = Math.subtractExact(seats, event.seats());
        childCount++;
    }

    @EventSourcingHandler
    void on(LimitsChanged event) {
        limits = event.limits();
    }

    @EventSourcingHandler
    void on(UsageReported event) {
        usage = event.usage();
    }

    @EventSourcingHandler
    void on(ConfigurationUpdated event) {
        configuration = event.configuration();
    }
}
