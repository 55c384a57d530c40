package dev.arbor.command.account;

import java.util.List;
import java.util.UUID;

/**
 * Users loaded into the command's unit of work, for a rule of an account that changes its users with it (deleting an
 * account deactivates them). The user package implements it: it depends on this package, so this one reaches users
 * only through this port.
 */
public interface AccountMembers {

    /**
     * Loads {@code candidates} (ids the lookup named) in id order, and answers those that are, loaded, active members
     * of {@code accountId}: the loaded user, not the lookup, says so.
     */
    List<Member> loadActive(UUID accountId, List<UUID> candidates);

    /** A loaded user whose membership the account counts. */
    interface Member extends AccountMember {

        /** Records, on the user's own stream, that it is deactivated; its account releases it first. */
        void deactivate();
    }
}
