package dev.arbor.command.account;

import dev.arbor.api.account.AccountConfiguration;
import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountDetailsUpdated;
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
import dev.arbor.api.account.UserAttached;
import dev.arbor.api.account.UserDetached;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.account.Seats;
import dev.arbor.api.user.Permission;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One account of an organization's tree: the consistency boundary for its own seats, status, limits and
 * configuration, and for the list of its children. Rules that span two accounts (seat moves, deletion, limits
 * against the parent) are the public methods that {@link AccountTreeCommandHandler} calls on both accounts in one
 * unit of work. Command handlers and rule methods decide and {@code apply}; event-sourcing handlers only set state.
 */
@Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger", cache = "accountCache")
public class Account {

    private static final int MAX_PROPERTIES = 100;
    private static final int MAX_PROPERTY_KEY = 64;
    private static final int MAX_PROPERTY_VALUE = 1024;
    /** As many limit keys as properties: each is kept on the account, its parent's entry for it and every view. */
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
    private long seats;
    private Map<String, Integer> limits;
    private AccountConfiguration configuration;
    /** Children that are not deleted, with the limits each holds. */
    private Map<UUID, Map<String, Integer>> children;
    /** Initialized here, not from an event, so that snapshots written before these fields existed still load. */
    private Set<UUID> activeUsers = new HashSet<>();
    /** Each registered device takes one of the account's seats. */
    private Set<UUID> devices = new HashSet<>();
    /** The current suspension is the platform admin's: only the admin lifts it. */
    private boolean suspendedByAdmin;
    /** The account was suspended when it was deleted: reactivating it would lift that suspension. */
    private boolean suspendedWhenDeleted;

    protected Account() {
        // for Axon: state is rebuilt from events or a snapshot
    }

    @CommandHandler
    public Account(CreateRootAccount command) {
        requireNotNegative(command.seats());
        apply(new AccountCreated(command.accountId(), command.accountId(), null, command.name(),
                                 command.description(), command.externalId(), command.seats(), Map.of()));
    }

    /** A child's first event: {@link AccountTreeCommandHandler} creates it from what {@link #addChild} answers. */
    Account(AccountCreated created) {
        apply(created);
    }

    @CommandHandler
    public UUID handle(UpdateAccountDetails command) {
        requireNotDeleted();
        String newName = command.name() == null ? name : command.name();
        String newDescription = cleared(command.description(), description);
        String newExternalId = cleared(command.externalId(), externalId);
        if (!newName.equals(name) || !Objects.equals(newDescription, description)
                || !Objects.equals(newExternalId, externalId)) {
            apply(new AccountDetailsUpdated(id, rootId, newName, newDescription, newExternalId));
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
        boolean byAdmin = CommandCaller.of(metaData).isAdmin();
        if (status == AccountStatus.ACTIVE || (status == AccountStatus.SUSPENDED && byAdmin && !suspendedByAdmin)) {
            apply(new AccountSuspended(id, rootId, command.reason(), byAdmin));
        }
        return id;
    }

    /** Lifts the suspension; one the platform admin imposed only the admin lifts. */
    @CommandHandler
    public UUID handle(UnsuspendAccount command, MetaData metaData) {
        requireNotDeleted();
        if (status == AccountStatus.SUSPENDED) {
            if (suspendedByAdmin && !CommandCaller.of(metaData).isAdmin()) {
                throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Account " + id
                        + " was suspended by the platform admin; only the admin lifts that suspension.");
            }
            apply(new AccountUnsuspended(id, rootId));
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

    // --- rules that AccountTreeCommandHandler combines across two accounts -----------------------------------

    /**
     * The parent's side of creating a child: hands it seats and default limits, and answers the child's first event.
     * {@code self} is this account's place in the tree (its depth, whether an ancestor is suspended).
     */
    public AccountCreated addChild(CreateChildAccount command, AccountDirectory.Node self, int maxDepth) {
        requireOpenForNewMembers(self);
        if (self.depth() + 1 > maxDepth) {
            throw new RuleViolation(ErrorCode.DEPTH_LIMIT, "A child of " + id + " would be at depth "
                    + (self.depth() + 1) + "; the deepest allowed is " + maxDepth + ".");
        }
        requireNotNegative(command.seats());
        requireFreeSeats(command.seats());
        apply(new ChildAccountAdded(id, rootId, command.childId(), command.seats()));
        return new AccountCreated(command.childId(), rootId, id, command.name(), command.description(),
                                  command.externalId(), command.seats(), configuration.defaultChildLimits());
    }

    /** The giving side of a seat move to the parent or a direct child. */
    public void sendSeats(UUID recipient, long count) {
        requireNotDeleted();
        requirePositive(count);
        if (!recipient.equals(parentId) && !children.containsKey(recipient)) {
            throw new RuleViolation(ErrorCode.NOT_PARENT_OR_CHILD,
                                    "Account " + recipient + " is neither the parent nor a child of " + id + ".");
        }
        requireFreeSeats(count);
        apply(new SeatsSent(id, rootId, recipient, count));
    }

    /** The receiving side of a seat move. */
    public void receiveSeats(UUID sender, long count) {
        requireNotDeleted();
        Seats.requireRoomFor(seats, count, "Account " + id);
        apply(new SeatsReceived(id, rootId, sender, count));
    }

    /**
     * Soft-deletes this account, handing all its seats back; the parent takes them with {@link #removeChild}. A user
     * does not delete a suspended account: reactivating it would then lift the suspension without the permission
     * (and, for the admin's suspension, the standing) that lifting it takes.
     */
    public long delete(CommandCaller caller) {
        requireNotDeleted();
        if (parentId == null) {
            throw new RuleViolation(ErrorCode.ROOT_ACCOUNT, "Account " + id + " is an organization's root.");
        }
        if (status == AccountStatus.SUSPENDED && !caller.isAdmin()) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED, "Account " + id
                    + " is suspended; lift the suspension before deleting it.");
        }
        if (!children.isEmpty()) {
            throw new RuleViolation(ErrorCode.HAS_CHILDREN,
                                    "Account " + id + " has children that are not deleted: " + children.keySet());
        }
        if (!activeUsers.isEmpty()) {
            throw new RuleViolation(ErrorCode.HAS_USERS, "Account " + id + " has " + activeUsers.size()
                    + " active users; deactivate or move them first.");
        }
        if (!devices.isEmpty()) {
            throw new RuleViolation(ErrorCode.HAS_DEVICES, "Account " + id + " has " + devices.size()
                    + " devices; remove them first.");
        }
        long returned = seats;
        apply(new AccountDeleted(id, rootId, parentId, returned));
        return returned;
    }

    /** A user becomes active here: added, moved in or reactivated. Only the last applies an event when inactive. */
    public void receiveUser(UUID userId, AccountDirectory.Node self, boolean active) {
        requireOpenForNewMembers(self);
        if (active) {
            apply(new UserAttached(id, rootId, userId));
        }
    }

    /** A user is no longer active here: moved out or deactivated. */
    public void detachUser(UUID userId) {
        if (activeUsers.contains(userId)) {
            apply(new UserDetached(id, rootId, userId));
        }
    }

    public void registerDevice(RegisterDevice command, AccountDirectory.Node self) {
        requireOpenForNewMembers(self);
        requireFreeSeats(1);
        apply(new DeviceRegistered(id, rootId, command.deviceId(), command.serial(), command.name()));
    }

    public void removeDevice(UUID deviceId) {
        if (!devices.contains(deviceId)) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No device " + deviceId + " in account " + id + ".");
        }
        apply(new DeviceRemoved(id, rootId, deviceId));
    }

    /**
     * The moving account's side of a move: it now hangs under {@code newParent}. The move carries the subtree's
     * seats from one branch to another, as a seat transfer would: a user needs {@code SEATS_MANAGE} for it unless the
     * account holds no seats and has no children (whose seats this account does not know). Without this, a user with
     * only the account permissions could move seats between siblings by creating a child with seats under one,
     * moving it under the other and deleting it there.
     */
    public void moveTo(UUID newParent, CommandCaller caller) {
        requireNotDeleted();
        if ((seats > 0 || !children.isEmpty()) && !caller.holds(Permission.SEATS_MANAGE)) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Account " + id + " holds seats or has children, "
                    + "and moving it moves their seats to another branch: this needs the permission SEATS_MANAGE.");
        }
        apply(new AccountMoved(id, rootId, parentId, newParent));
    }

    public void detachChild(UUID child) {
        apply(new ChildAccountDetached(id, rootId, child));
    }

    /** The new parent's side of a move: it must be active and its limits must cover the child's. */
    public void attachChild(UUID child, Map<String, Integer> childLimits) {
        requireNotDeleted();
        if (status == AccountStatus.SUSPENDED) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED, "Account " + id + " is suspended.");
        }
        requireWithin(childLimits, limits, ErrorCode.LIMIT_EXCEEDS_PARENT,
                      "The moved account's limits exceed the new parent's");
        apply(new ChildAccountAttached(id, rootId, child, Map.copyOf(childLimits)));
    }

    /** Seats the platform adds to the tree, through the seat token {@code tokenId}. */
    public void grantSeats(String tokenId, long count) {
        requireNotDeleted();
        Seats.requireRoomFor(seats, count, "Account " + id);
        apply(new SeatsGranted(id, rootId, tokenId, count));
    }

    public void removeChild(UUID child, long seatsReturned) {
        Seats.requireRoomFor(seats, seatsReturned, "Account " + id);
        apply(new ChildAccountRemoved(id, rootId, child, seatsReturned));
    }

    /**
     * Brings this deleted account back; its parent first hands over the seats with {@link #restoreChild}. It comes
     * back active, so one that was suspended when it was deleted (only the admin deletes a suspended account) is
     * brought back only by the admin.
     */
    public void reactivate(long withSeats, CommandCaller caller) {
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

    /** The parent's side of a reactivation: hands the child its seats and takes its limits back under its own. */
    public void restoreChild(UUID child, long withSeats, Map<String, Integer> childLimits) {
        if (status == AccountStatus.DELETED) {
            throw new RuleViolation(ErrorCode.PARENT_DELETED, "The parent account " + id + " is deleted.");
        }
        requireNotNegative(withSeats);
        requireFreeSeats(withSeats);
        requireWithin(childLimits, limits, ErrorCode.LIMIT_EXCEEDS_PARENT,
                      "The child's limits exceed the parent's; lower them before reactivating");
        apply(new ChildAccountRestored(id, rootId, child, withSeats));
        recordChildLimits(child, childLimits);
    }

    /**
     * Replaces this account's limits. They may not exceed the parent's ({@code parentLimits}, null for a root),
     * nor fall below a child's or the defaults new children get.
     */
    public void changeLimits(Map<String, Integer> wanted, Map<String, Integer> parentLimits) {
        requireNotDeleted();
        requireValidLimitKeys(wanted);
        requireNotNegative(wanted);
        if (parentLimits != null) {
            requireWithin(wanted, parentLimits, ErrorCode.LIMIT_EXCEEDS_PARENT, "Limits exceed the parent's");
        }
        Set<String> below = new HashSet<>();
        children.forEach((child, held) -> {
            if (!within(held, wanted)) {
                below.add(child.toString());
            }
        });
        if (!within(configuration.defaultChildLimits(), wanted)) {
            below.add("defaultChildLimits");
        }
        if (!below.isEmpty()) {
            throw new RuleViolation(ErrorCode.LIMIT_BELOW_CHILD,
                                    "Limits are below those of children: " + below.stream().sorted().toList());
        }
        if (!wanted.equals(limits)) {
            apply(new LimitsChanged(id, rootId, Map.copyOf(wanted)));
        }
    }

    public void recordChildLimits(UUID child, Map<String, Integer> childLimits) {
        if (!childLimits.equals(children.get(child))) {
            apply(new ChildLimitsChanged(id, rootId, child, Map.copyOf(childLimits)));
        }
    }

    public UUID parentId() {
        return parentId;
    }

    public Map<String, Integer> limits() {
        return limits;
    }

    public long seats() {
        return seats;
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

    private static void requireNotNegative(Map<String, Integer> wanted) {
        wanted.forEach((key, value) -> {
            if (value == null || value < 0) {
                throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                        "Limit " + key + " must be a non-negative number; got " + value + ".");
            }
        });
    }

    private void requireFreeSeats(long wanted) {
        long free = seats - devices.size();
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
        if (limits.size() > MAX_LIMITS) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                    "At most " + MAX_LIMITS + " limits; got " + limits.size() + ".");
        }
        limits.keySet().forEach(key -> {
            if (key == null || key.isBlank() || key.length() > MAX_LIMIT_KEY) {
                throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "Limit keys are 1-" + MAX_LIMIT_KEY
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
        seats = event.initialSeats();
        limits = event.limits();
        configuration = AccountConfiguration.DEFAULT;
        children = new HashMap<>();
    }

    @EventSourcingHandler
    void on(ChildAccountAdded event) {
        seats = Math.subtractExact(seats, event.seats());
        children.put(event.childId(), configuration.defaultChildLimits());
    }

    @EventSourcingHandler
    void on(AccountDetailsUpdated event) {
        name = event.name();
        description = event.description();
        externalId = event.externalId();
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
        activeUsers.add(event.userId());
    }

    @EventSourcingHandler
    void on(UserDetached event) {
        activeUsers.remove(event.userId());
    }

    @EventSourcingHandler
    void on(DeviceRegistered event) {
        devices.add(event.deviceId());
    }

    @EventSourcingHandler
    void on(DeviceRemoved event) {
        devices.remove(event.deviceId());
    }

    @EventSourcingHandler
    void on(AccountMoved event) {
        parentId = event.toParentId();
    }

    @EventSourcingHandler
    void on(ChildAccountDetached event) {
        children.remove(event.childId());
    }

    @EventSourcingHandler
    void on(ChildAccountAttached event) {
        children.put(event.childId(), event.limits());
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
        children.remove(event.childId());
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
        children.put(event.childId(), Map.of());
    }

    @EventSourcingHandler
    void on(LimitsChanged event) {
        limits = event.limits();
    }

    @EventSourcingHandler
    void on(ChildLimitsChanged event) {
        children.put(event.childId(), event.limits());
    }

    @EventSourcingHandler
    void on(ConfigurationUpdated event) {
        configuration = event.configuration();
    }
}
