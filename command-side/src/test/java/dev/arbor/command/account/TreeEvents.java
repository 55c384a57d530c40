package dev.arbor.command.account;

import dev.arbor.api.account.AccountConfiguration;
import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.api.account.ChildAccountAttached;
import dev.arbor.api.account.ChildAccountDetached;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.ChildAccountRestored;
import dev.arbor.api.account.ChildLimitsChanged;
import dev.arbor.api.account.ConfigurationUpdated;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.SeatTokenIssued;
import dev.arbor.api.account.SeatTokenRedeemed;
import dev.arbor.api.account.SeatsGranted;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.PermissionsChanged;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.account.UserAttached;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.account.UserDetached;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The events of the usual steps in one organization's tree (root {@link #ROOT}), as the command side appends them:
 * the "given" of the specifications. A step that writes to two aggregates answers both events, in append order.
 */
final class TreeEvents {

    static final UUID ROOT = UUID.fromString("0191e5b2-0000-7000-8000-000000000001");
    static final UUID CHILD = UUID.fromString("0191e5b2-0000-7000-8000-000000000002");
    static final UUID SIBLING = UUID.fromString("0191e5b2-0000-7000-8000-000000000003");
    static final UUID GRANDCHILD = UUID.fromString("0191e5b2-0000-7000-8000-000000000004");
    static final UUID OTHER_ROOT = UUID.fromString("0191e5b2-0000-7000-8000-0000000000ff");

    private TreeEvents() {
    }

    static AccountCreated rootCreated(long seats) {
        return new AccountCreated(ROOT, ROOT, null, "Acme", null, null, seats, Map.of());
    }

    static AccountCreated otherRootCreated() {
        return new AccountCreated(OTHER_ROOT, OTHER_ROOT, null, "Other", null, null, 0, Map.of());
    }

    /** {@code parent} created {@code child} with {@code seats} of its own and no limits. */
    static List<Object> childCreated(UUID parent, UUID child, long seats) {
        return childCreated(parent, child, seats, Map.of());
    }

    /** ... with {@code limits}, the parent's default child limits. */
    static List<Object> childCreated(UUID parent, UUID child, long seats, Map<String, Integer> limits) {
        return List.of(new ChildAccountAdded(parent, ROOT, child, seats),
                       new AccountCreated(child, ROOT, parent, "Child", null, null, seats, limits));
    }

    /** {@code parent} created {@code child} labelled {@code label}, with no seats. */
    static List<Object> labelledChildCreated(UUID parent, UUID child, String label) {
        return List.of(new ChildAccountAdded(parent, ROOT, child, 0),
                       new AccountCreated(child, ROOT, parent, "Child", null, null, label, 0, Map.of()));
    }

    /** {@code child} was deleted and handed its {@code seats} back to {@code parent}. */
    static List<Object> deleted(UUID child, UUID parent, long seats) {
        return List.of(new AccountDeleted(child, ROOT, parent, seats), new ChildAccountRemoved(parent, ROOT, child, seats));
    }

    /** The deleted {@code child} was brought back with {@code seats} from {@code parent}. */
    static List<Object> reactivated(UUID child, UUID parent, long seats) {
        return List.of(new AccountReactivated(child, ROOT, parent, seats),
                       new ChildAccountRestored(parent, ROOT, child, seats));
    }

    /** {@code child}, holding {@code limits}, moved from {@code from} to {@code to}. */
    static List<Object> moved(UUID child, UUID from, UUID to, Map<String, Integer> limits) {
        return List.of(new AccountMoved(child, ROOT, from, to), new ChildAccountDetached(from, ROOT, child),
                       new ChildAccountAttached(to, ROOT, child, limits));
    }

    static AccountSuspended suspendedByAdmin(UUID account) {
        return new AccountSuspended(account, ROOT, null, true);
    }

    static AccountSuspended suspendedByUser(UUID account) {
        return new AccountSuspended(account, ROOT, null, false);
    }

    static LimitsChanged rootLimitsChanged(Map<String, Integer> limits) {
        return new LimitsChanged(ROOT, ROOT, limits);
    }

    /** The limits of {@code child} became {@code limits}, and its parent recorded them. */
    static List<Object> childLimitsChanged(UUID child, UUID parent, Map<String, Integer> limits) {
        return List.of(new LimitsChanged(child, ROOT, limits), new ChildLimitsChanged(parent, ROOT, child, limits));
    }

    static ConfigurationUpdated defaultChildLimitsSet(UUID account, Map<String, Integer> limits) {
        return new ConfigurationUpdated(account, ROOT, new AccountConfiguration(false, Map.of(), limits));
    }

    /** The platform issued {@code token} and it was redeemed into {@code account}. */
    static List<Object> seatsGranted(String token, UUID account, long seats) {
        return List.of(new SeatTokenIssued(token, seats), new SeatTokenRedeemed(token, account),
                       new SeatsGranted(account, ROOT, token, seats));
    }

    static DeviceRegistered deviceRegistered(UUID account, UUID device) {
        return new DeviceRegistered(account, ROOT, device, "SN-" + device, "Sensor");
    }

    static List<Object> userAdded(UUID user, UUID account) {
        return List.of(new UserAttached(account, ROOT, user), new UserAdded(user, ROOT, account, "Ann@Example.com", "Ann"));
    }

    static List<Object> userDeactivated(UUID user, UUID account) {
        return List.of(new UserDetached(account, ROOT, user), new UserDeactivated(user, ROOT, account));
    }

    static PermissionsChanged permissionsGranted(UUID user, UUID account, Set<Permission> permissions) {
        return new PermissionsChanged(user, ROOT, account, permissions, Set.of(), permissions);
    }
}
