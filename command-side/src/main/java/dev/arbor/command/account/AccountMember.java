package dev.arbor.command.account;

import java.util.UUID;

/**
 * What an account reads of a user whose membership it counts: the {@code User} aggregate, loaded in the same unit
 * of work, says which account it belongs to and whether it is active.
 */
public interface AccountMember {

    UUID userId();

    UUID accountId();

    boolean isActive();
}
