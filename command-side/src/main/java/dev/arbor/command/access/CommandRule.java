package dev.arbor.command.access;

import dev.arbor.api.user.Permission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * What a user needs to send a command: the accounts it touches (each must lie in the user's subtree, else the
 * command answers 404 as if they did not exist), the permission, and whether the user's own account may be one of
 * the {@code notOwn} accounts (deleting, suspending, moving, re-seating or limiting oneself is for the parent side).
 * A null permission means only the platform admin may send it.
 */
record CommandRule(Permission permission, List<UUID> accounts, List<UUID> notOwn) {

    static CommandRule adminOnly() {
        return new CommandRule(null, List.of(), List.of());
    }

    /** Touches these accounts; a null one is an id that names nothing (a user or device no one has). */
    static CommandRule on(Permission permission, UUID... accounts) {
        return new CommandRule(permission, Arrays.asList(accounts), List.of());
    }

    /** Changes {@code account}, which must not be the user's own, and touches {@code alsoTouched}. */
    static CommandRule onOther(Permission permission, UUID account, UUID... alsoTouched) {
        List<UUID> touched = new ArrayList<>(Arrays.asList(alsoTouched));
        touched.add(0, account);
        return new CommandRule(permission, touched, List.of(account));
    }
}
