package dev.arbor.api.user;

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
    DEVICES_MANAGE
}
