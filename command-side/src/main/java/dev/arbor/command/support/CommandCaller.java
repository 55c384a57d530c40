package dev.arbor.command.support;

import dev.arbor.api.user.Permission;
import dev.arbor.platform.security.Caller;
import org.axonframework.messaging.MetaData;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who sent a command, as the rules that depend on it see it: a user with the permissions it holds, or the
 * platform admin, who is not restricted. Built from the command's metadata: its role comes with the request
 * ({@link CommandMetadata}), and the user's permissions are added by the authorization interceptor from the user
 * lookup in the command's own transaction, so a rule never trusts what the request says a user holds.
 * <p>
 * Only the admin's role is unrestricted: a command naming no role (which the interceptor has already refused, outside
 * the test fixtures) is, for the rules, a user holding nothing.
 */
public record CommandCaller(boolean user, Set<Permission> permissions) {

    /** Metadata key of a user caller's permissions, their names joined by commas. */
    public static final String PERMISSIONS = "callerPermissions";

    public static final CommandCaller ADMIN = new CommandCaller(false, Set.of());

    public CommandCaller {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(permissions);
    }

    public static CommandCaller of(MetaData metaData) {
        if (Caller.ADMIN.equals(metaData.get(CommandMetadata.CALLER_ROLE))) {
            return ADMIN;
        }
        Object names = metaData.get(PERMISSIONS);
        Set<Permission> held = EnumSet.noneOf(Permission.class);
        if (names instanceof String joined && !joined.isEmpty()) {
            Arrays.stream(joined.split(",")).map(Permission::valueOf).forEach(held::add);
        }
        return new CommandCaller(true, held);
    }

    /** A user holding these permissions: what the tests put on a command, and what the interceptor adds. */
    public static Map<String, String> userMetadata(Set<Permission> permissions) {
        return Map.of(CommandMetadata.CALLER_ROLE, Caller.USER,
                      PERMISSIONS, String.join(",", Permission.names(permissions)));
    }

    /** The admin's metadata, for tests: a command without a role is treated as a user's holding nothing. */
    public static Map<String, String> adminMetadata() {
        return Map.of(CommandMetadata.CALLER_ROLE, Caller.ADMIN);
    }

    public boolean isAdmin() {
        return !user;
    }

    public boolean holds(Permission permission) {
        return !user || permissions.contains(permission);
    }

    /** Which of {@code wanted} this caller does not hold (none for the admin). */
    public Set<Permission> lacking(Set<Permission> wanted) {
        if (!user || wanted.isEmpty()) {
            return Set.of();
        }
        Set<Permission> lacking = EnumSet.copyOf(wanted);
        lacking.removeAll(permissions);
        return lacking;
    }
}
