package dev.arbor.system;

import dev.arbor.api.common.ErrorCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The reference model of {@link ModelBasedTest}: Arbor's command rules as the README states them, for the platform
 * admin as caller, over the organizations of one client. Each command method answers what Arbor must answer (accepted,
 * or refused with which code, checked in the order Arbor checks) and, for an accepted command, the fold that brings
 * the model to the state the command leaves behind. Versions are counted as the events each command appends, so the
 * version in an answer and in the read model is checked too.
 */
final class AccountModel {

    /** {@code arbor.max-depth}: a root is at depth 0. */
    static final int MAX_DEPTH = 10;

    /** An account as the command side knows it, and the read model must show it. */
    static final class Account {
        final String id;
        final String root;
        String parent;
        String name;
        String description;
        String externalId;
        /** The seats it holds, those its devices use included; a deleted account holds none. */
        long seats;
        boolean deleted;
        /** As the command side's directory keeps it: a deleted account stays suspended until it is reactivated. */
        boolean suspended;
        Map<String, Integer> limits;
        boolean billable;
        Map<String, String> properties = Map.of();
        Map<String, Integer> defaultChildLimits = Map.of();
        final Set<String> devices = new TreeSet<>();
        long version;

        Account(String id, String root, String parent, String name, String externalId, long seats,
                Map<String, Integer> limits) {
            this.id = id;
            this.root = root;
            this.parent = parent;
            this.name = name;
            this.externalId = externalId;
            this.seats = seats;
            this.limits = limits;
        }

        long free() {
            return seats - devices.size();
        }

        String status() {
            return deleted ? "DELETED" : suspended ? "SUSPENDED" : "ACTIVE";
        }
    }

    static final class User {
        final String id;
        final String email;
        final String name;
        String account;
        boolean active = true;
        Set<String> permissions = Set.of();
        long version;

        User(String id, String email, String name, String account) {
            this.id = id;
            this.email = email;
            this.name = name;
            this.account = account;
        }
    }

    record Device(String id, String serial, String name, String account) {
    }

    /**
     * What Arbor must answer to one command: {@code code} null for accepted with {@code status}, else the refusal. An
     * accepted command's {@code fold} applies it to the model, given the answer (for the ids Arbor made), and answers
     * the aggregate whose version the answer carries (null when the answer carries none).
     */
    record Expected(int status, ErrorCode code, Function<Http.Response, Aggregate> fold) {

        boolean accepted() {
            return code == null;
        }

        @Override
        public String toString() {
            return accepted() ? Integer.toString(status) : status + " " + code;
        }
    }

    /** An aggregate's id and its version after the command, as the answer must state them. */
    record Aggregate(String id, long version) {
    }

    final Map<String, Account> accounts = new LinkedHashMap<>();
    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, Device> devices = new LinkedHashMap<>();
    final Set<String> removedDevices = new TreeSet<>();
    /** Seat tokens issued and not yet redeemed: the secret and its seats. */
    final Map<String, Long> unredeemedTokens = new LinkedHashMap<>();
    final Set<String> redeemedTokens = new TreeSet<>();
    /** Seats granted to each organization: at its creation, then by seat tokens. */
    final Map<String, Long> grantedSeats = new LinkedHashMap<>();

    // --- accounts --------------------------------------------------------------------------------------------

    Expected createOrganization(String name, long seats) {
        return accepted(201, answer -> {
            String id = answer.body().get("id").asText();
            accounts.put(id, new Account(id, id, null, name, null, seats, Map.of()));
            grantedSeats.put(id, seats);
            return versionOf(id);
        });
    }

    Expected createChild(String parentId, String name, String externalId, long seats) {
        Account parent = accounts.get(parentId);
        if (parent.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (suspendedInTheDirectory(parent)) {
            return refused(ErrorCode.ACCOUNT_SUSPENDED);
        }
        if (depth(parent) + 1 > MAX_DEPTH) {
            return refused(ErrorCode.DEPTH_LIMIT);
        }
        if (seats > parent.free()) {
            return refused(ErrorCode.INSUFFICIENT_SEATS);
        }
        if (externalIdTaken(externalId)) {
            return refused(ErrorCode.DUPLICATE_EXTERNAL_ID);
        }
        return accepted(201, answer -> {
            String id = answer.body().get("id").asText();
            parent.seats -= seats;
            parent.version++;
            accounts.put(id, new Account(id, parent.root, parentId, name, externalId, seats,
                                         parent.defaultChildLimits));
            return versionOf(id);
        });
    }

    /** {@code description} and {@code externalId}: null leaves it, an empty optional clears it. */
    Expected updateDetails(String id, String name, Optional<String> description, Optional<String> externalId) {
        Account account = accounts.get(id);
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        String newName = name == null ? account.name : name;
        String newDescription = description == null ? account.description : description.orElse(null);
        String newExternalId = externalId == null ? account.externalId : externalId.orElse(null);
        boolean changed = !newName.equals(account.name) || !Objects.equals(newDescription, account.description)
                          || !Objects.equals(newExternalId, account.externalId);
        if (changed && !Objects.equals(newExternalId, account.externalId) && externalIdTaken(newExternalId)) {
            return refused(ErrorCode.DUPLICATE_EXTERNAL_ID);
        }
        return accepted(200, answer -> {
            if (changed) {
                account.name = newName;
                account.description = newDescription;
                account.externalId = newExternalId;
                account.version++;
            }
            return versionOf(id);
        });
    }

    Expected move(String id, String newParentId) {
        Account moved = accounts.get(id);
        Account target = accounts.get(newParentId);
        if (moved.parent == null) {
            return refused(ErrorCode.ROOT_ACCOUNT);
        }
        if (!moved.root.equals(target.root)) {
            return refused(ErrorCode.DIFFERENT_ROOT);
        }
        if (path(target).contains(moved)) {
            return refused(ErrorCode.MOVE_CYCLE);
        }
        if (suspendedInTheDirectory(target)) {
            return refused(ErrorCode.ACCOUNT_SUSPENDED);
        }
        if (depth(target) + 1 + subtreeHeight(moved) > MAX_DEPTH) {
            return refused(ErrorCode.DEPTH_LIMIT);
        }
        if (newParentId.equals(moved.parent)) {
            return accepted(200, answer -> versionOf(id));
        }
        if (moved.deleted || target.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (!within(moved.limits, target.limits)) {
            return refused(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }
        return accepted(200, answer -> {
            accounts.get(moved.parent).version++;
            moved.parent = newParentId;
            moved.version++;
            target.version++;
            return versionOf(id);
        });
    }

    Expected transferSeats(String fromId, String toId, long seats) {
        Account from = accounts.get(fromId);
        Account to = accounts.get(toId);
        if (from.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (!toId.equals(from.parent) && !(fromId.equals(to.parent) && !to.deleted)) {
            return refused(ErrorCode.NOT_PARENT_OR_CHILD);
        }
        if (seats > from.free()) {
            return refused(ErrorCode.INSUFFICIENT_SEATS);
        }
        return accepted(200, answer -> {
            moveSeats(from, to, seats);
            return versionOf(fromId);
        });
    }

    /** A child's new total, the difference taken from or given to its parent as a seat transfer. */
    Expected setSeats(String id, long total) {
        Account account = accounts.get(id);
        if (account.parent == null) {
            return refused(ErrorCode.ROOT_ACCOUNT);
        }
        Account parent = accounts.get(account.parent);
        long difference = total - account.seats;
        if (difference > 0) {
            if (parent.deleted) {
                return refused(ErrorCode.ACCOUNT_DELETED);
            }
            if (account.deleted) {
                return refused(ErrorCode.NOT_PARENT_OR_CHILD);
            }
            if (difference > parent.free()) {
                return refused(ErrorCode.INSUFFICIENT_SEATS);
            }
        } else if (difference < 0 && -difference > account.free()) {
            return refused(ErrorCode.INSUFFICIENT_SEATS);
        }
        return accepted(200, answer -> {
            if (difference > 0) {
                moveSeats(parent, account, difference);
            } else if (difference < 0) {
                moveSeats(account, parent, -difference);
            }
            return versionOf(id);
        });
    }

    Expected suspend(String id) {
        return suspended(id, true);
    }

    Expected unsuspend(String id) {
        return suspended(id, false);
    }

    /** Suspending or lifting it: a repeat changes nothing (no event, the same version). */
    private Expected suspended(String id, boolean suspended) {
        Account account = accounts.get(id);
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        return accepted(200, answer -> {
            if (account.suspended != suspended) {
                account.suspended = suspended;
                account.version++;
            }
            return versionOf(id);
        });
    }

    Expected delete(String id) {
        Account account = accounts.get(id);
        if (account.parent == null) {
            return refused(ErrorCode.ROOT_ACCOUNT);
        }
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (!liveChildren(account).isEmpty()) {
            return refused(ErrorCode.HAS_CHILDREN);
        }
        if (activeUserCount(account) > 0) {
            return refused(ErrorCode.HAS_USERS);
        }
        if (!account.devices.isEmpty()) {
            return refused(ErrorCode.HAS_DEVICES);
        }
        return accepted(200, answer -> {
            Account parent = accounts.get(account.parent);
            parent.seats += account.seats;
            parent.version++;
            account.seats = 0;
            account.deleted = true;
            account.version++;
            return versionOf(id);
        });
    }

    Expected reactivate(String id, long seats) {
        Account account = accounts.get(id);
        if (account.parent == null || !account.deleted) {
            return refused(ErrorCode.NOT_DELETED);
        }
        Account parent = accounts.get(account.parent);
        if (parent.deleted) {
            return refused(ErrorCode.PARENT_DELETED);
        }
        if (seats > parent.free()) {
            return refused(ErrorCode.INSUFFICIENT_SEATS);
        }
        if (!within(account.limits, parent.limits)) {
            return refused(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }
        return accepted(200, answer -> {
            parent.seats -= seats;
            // the parent restores the child without limits, then records the child's own if it has any
            parent.version += account.limits.isEmpty() ? 1 : 2;
            account.seats = seats;
            account.deleted = false;
            account.suspended = false;
            account.version++;
            return versionOf(id);
        });
    }

    /** Replaces the limits: not above the parent's, not below a live child's nor the account's child defaults. */
    Expected changeLimits(String id, Map<String, Integer> wanted) {
        Account account = accounts.get(id);
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (account.parent != null && !within(wanted, accounts.get(account.parent).limits)) {
            return refused(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }
        if (liveChildren(account).stream().anyMatch(child -> !within(child.limits, wanted))
                || !within(account.defaultChildLimits, wanted)) {
            return refused(ErrorCode.LIMIT_BELOW_CHILD);
        }
        return accepted(200, answer -> {
            if (!wanted.equals(account.limits)) {
                account.limits = Map.copyOf(wanted);
                account.version++;
                if (account.parent != null) {
                    accounts.get(account.parent).version++;
                }
            }
            return versionOf(id);
        });
    }

    /** A JSON merge patch of the configuration: null leaves a field, a key mapped to null is removed. */
    Expected updateConfiguration(String id, Boolean billable, Map<String, String> properties,
                                 Map<String, Integer> defaultChildLimits) {
        Account account = accounts.get(id);
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        boolean newBillable = billable == null ? account.billable : billable;
        Map<String, String> newProperties = merged(account.properties, properties);
        Map<String, Integer> newDefaults = merged(account.defaultChildLimits, defaultChildLimits);
        if (!within(newDefaults, account.limits)) {
            return refused(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }
        return accepted(200, answer -> {
            if (newBillable != account.billable || !newProperties.equals(account.properties)
                    || !newDefaults.equals(account.defaultChildLimits)) {
                account.billable = newBillable;
                account.properties = newProperties;
                account.defaultChildLimits = newDefaults;
                account.version++;
            }
            return versionOf(id);
        });
    }

    // --- seat tokens -----------------------------------------------------------------------------------------

    /**
     * The answer holds the secret, except when it is a replay (the first attempt's node died): Arbor keeps no secret,
     * so that token is issued but lost to the client, as it would be to any.
     */
    Expected issueSeatToken(long seats) {
        return accepted(201, answer -> {
            if (answer.body().has("token")) {
                unredeemedTokens.put(answer.body().get("token").asText(), seats);
            }
            return null;
        });
    }

    Expected redeemSeatToken(String accountId, String token) {
        Account account = accounts.get(accountId);
        if (redeemedTokens.contains(token)) {
            return refused(ErrorCode.TOKEN_ALREADY_REDEEMED);
        }
        if (!unredeemedTokens.containsKey(token)) {
            return refused(ErrorCode.NOT_FOUND);
        }
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        return accepted(200, answer -> {
            long seats = unredeemedTokens.remove(token);
            redeemedTokens.add(token);
            account.seats += seats;
            account.version++;
            grantedSeats.merge(account.root, seats, Long::sum);
            return versionOf(accountId);
        });
    }

    // --- users -----------------------------------------------------------------------------------------------

    Expected addUser(String accountId, String email, String name) {
        Account account = accounts.get(accountId);
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (suspendedInTheDirectory(account)) {
            return refused(ErrorCode.ACCOUNT_SUSPENDED);
        }
        if (users.values().stream().anyMatch(user -> user.email.toLowerCase(Locale.ROOT)
                                                                 .equals(email.toLowerCase(Locale.ROOT)))) {
            return refused(ErrorCode.DUPLICATE_EMAIL);
        }
        return accepted(201, answer -> {
            String id = answer.body().get("id").asText();
            users.put(id, new User(id, email, name, accountId));
            account.version++;
            return new Aggregate(id, 0);
        });
    }

    Expected changeUserAccount(String userId, String accountId) {
        User user = users.get(userId);
        if (accountId.equals(user.account)) {
            return accepted(200, answer -> versionOfUser(userId));
        }
        Account from = accounts.get(user.account);
        Account to = accounts.get(accountId);
        if (!from.root.equals(to.root)) {
            return refused(ErrorCode.DIFFERENT_ROOT);
        }
        if (to.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (suspendedInTheDirectory(to)) {
            return refused(ErrorCode.ACCOUNT_SUSPENDED);
        }
        return accepted(200, answer -> {
            if (user.active) {
                from.version++;
                to.version++;
            }
            user.account = accountId;
            user.version++;
            return versionOfUser(userId);
        });
    }

    Expected deactivateUser(String userId) {
        User user = users.get(userId);
        return accepted(200, answer -> {
            if (user.active) {
                user.active = false;
                user.version++;
                accounts.get(user.account).version++;
            }
            return versionOfUser(userId);
        });
    }

    Expected reactivateUser(String userId) {
        User user = users.get(userId);
        if (!user.active) {
            Account account = accounts.get(user.account);
            if (account.deleted) {
                return refused(ErrorCode.ACCOUNT_DELETED);
            }
            if (suspendedInTheDirectory(account)) {
                return refused(ErrorCode.ACCOUNT_SUSPENDED);
            }
        }
        return accepted(200, answer -> {
            if (!user.active) {
                user.active = true;
                user.version++;
                accounts.get(user.account).version++;
            }
            return versionOfUser(userId);
        });
    }

    Expected changePermissions(String userId, Set<String> grant, Set<String> revoke) {
        User user = users.get(userId);
        if (grant.stream().anyMatch(revoke::contains)) {
            return refused(ErrorCode.VALIDATION_FAILED);
        }
        Set<String> now = new TreeSet<>(user.permissions);
        now.addAll(grant);
        now.removeAll(revoke);
        return accepted(200, answer -> {
            if (!now.equals(user.permissions)) {
                user.permissions = Set.copyOf(now);
                user.version++;
            }
            return versionOfUser(userId);
        });
    }

    // --- devices ---------------------------------------------------------------------------------------------

    /** The device's id is not in the answer's body (whose id is the account's): {@code deviceId} reads it. */
    Expected registerDevice(String accountId, String serial, String name, Function<Http.Response, String> deviceId) {
        Account account = accounts.get(accountId);
        if (account.deleted) {
            return refused(ErrorCode.ACCOUNT_DELETED);
        }
        if (suspendedInTheDirectory(account)) {
            return refused(ErrorCode.ACCOUNT_SUSPENDED);
        }
        if (account.free() < 1) {
            return refused(ErrorCode.INSUFFICIENT_SEATS);
        }
        if (devices.values().stream().anyMatch(device -> device.serial.equals(serial))) {
            return refused(ErrorCode.DUPLICATE_SERIAL);
        }
        return accepted(201, answer -> {
            String id = deviceId.apply(answer);
            devices.put(id, new Device(id, serial, name, accountId));
            account.devices.add(id);
            account.version++;
            return versionOf(accountId);
        });
    }

    Expected removeDevice(String deviceId) {
        Device device = devices.get(deviceId);
        if (device == null) {
            return refused(ErrorCode.NOT_FOUND);
        }
        return accepted(200, answer -> {
            devices.remove(deviceId);
            removedDevices.add(deviceId);
            Account account = accounts.get(device.account);
            account.devices.remove(deviceId);
            account.version++;
            return versionOf(device.account);
        });
    }

    // --- the tree --------------------------------------------------------------------------------------------

    /** The accounts from the root down to {@code account} itself. */
    List<Account> path(Account account) {
        List<Account> path = new ArrayList<>();
        for (Account at = account; at != null; at = at.parent == null ? null : accounts.get(at.parent)) {
            path.add(0, at);
        }
        return path;
    }

    int depth(Account account) {
        return path(account).size() - 1;
    }

    List<Account> liveChildren(Account account) {
        return accounts.values().stream().filter(child -> account.id.equals(child.parent) && !child.deleted).toList();
    }

    /** Live accounts below this one (a live account's ancestors are all live). */
    long liveDescendants(Account account) {
        return accounts.values().stream().filter(other -> other != account && !other.deleted
                                                          && path(other).contains(account)).count();
    }

    long activeUserCount(Account account) {
        return users.values().stream().filter(user -> user.active && user.account.equals(account.id)).count();
    }

    /**
     * The topmost account on the path that the read model shows SUSPENDED (null for none): a deleted account shows
     * DELETED, and so suspends nothing below it there.
     */
    Account suspendedBy(Account account) {
        return path(account).stream().filter(at -> at.suspended && !at.deleted).findFirst().orElse(null);
    }

    /**
     * How the command side decides "it or an ancestor is suspended": from its directory, where a deleted account keeps
     * the suspension it had.
     */
    private boolean suspendedInTheDirectory(Account account) {
        return path(account).stream().anyMatch(at -> at.suspended);
    }

    /** Levels below the account, deleted accounts included: the directory keeps them in the tree. */
    private int subtreeHeight(Account account) {
        int depth = depth(account);
        return accounts.values().stream().filter(other -> path(other).contains(account))
                       .mapToInt(other -> depth(other) - depth).max().orElse(0);
    }

    /** External ids are unique over all accounts, deleted ones included. */
    private boolean externalIdTaken(String externalId) {
        return externalId != null && accounts.values().stream().anyMatch(a -> externalId.equals(a.externalId));
    }

    private void moveSeats(Account from, Account to, long seats) {
        from.seats -= seats;
        to.seats += seats;
        from.version++;
        to.version++;
    }

    private Aggregate versionOf(String accountId) {
        return new Aggregate(accountId, accounts.get(accountId).version);
    }

    private Aggregate versionOfUser(String userId) {
        return new Aggregate(userId, users.get(userId).version);
    }

    /** True when no key of {@code limits} exceeds the same key of {@code ceiling}; a key absent there is unlimited. */
    private static boolean within(Map<String, Integer> limits, Map<String, Integer> ceiling) {
        return limits.entrySet().stream().allMatch(
                limit -> !ceiling.containsKey(limit.getKey()) || limit.getValue() <= ceiling.get(limit.getKey()));
    }

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
        return Map.copyOf(result);
    }

    private static Expected accepted(int status, Function<Http.Response, Aggregate> fold) {
        return new Expected(status, null, fold);
    }

    private static Expected refused(ErrorCode code) {
        return new Expected(code.httpStatus(), code, null);
    }
}
