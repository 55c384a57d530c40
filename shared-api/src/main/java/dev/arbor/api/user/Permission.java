package dev.arbor.api.user;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a user may do inside its own account's subtree, besides reading it (which needs no permission). Granted and
 * revoked by {@link ChangePermissions}; the platform admin needs none.
 */
public enum Permission {
    ACCOUNTS_ADD,
    ACCOUNTS_EDIT,
    ACCOUNTS_DELETE,
    SEATS_MANAGE,
    LIMITS_MANAGE,
    USERS_MANAGE,
    DEVICES_MANAGE;

    /** The permissions' names, sorted: how a set of them is stored (a {@code text[]} column). */
    public static String[] names(Set<Permission> permissions) {
        return permissions.stream().map(Enum::name).sorted().toArray(String[]::new);
    }

    /** The set that {@link #names} stored. */
    public static Set<Permission> parse(String[] names) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        Arrays.stream(names).map(Permission::valueOf).forEach(permissions::add);
        return permissions;
    }
}
