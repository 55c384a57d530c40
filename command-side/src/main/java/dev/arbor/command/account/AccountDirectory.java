package dev.arbor.command.account;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.modelling.command.AggregateNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where each account sits in its tree, as the command side knows it without loading (and so locking) aggregates:
 * what rules about ancestors and descendants need, and each account's limits, for the rule that a parent's limits
 * cover its children's. Written from the account events in the same transaction that
 * appends them.
 */
public interface AccountDirectory {

    Optional<Node> find(UUID accountId);

    /** The account's node; an id the directory does not know answers as an unknown aggregate does (404). */
    default Node require(UUID accountId) {
        return find(accountId).orElseThrow(
                () -> new AggregateNotFoundException(accountId.toString(), "No account " + accountId));
    }

    /** How many levels lie below the account (0 for a leaf). */
    int subtreeHeight(UUID accountId);

    /**
     * The account's children that are not deleted and hold a limit above the same key of {@code ceiling}, in id
     * order: those that limits of {@code ceiling} would fall below.
     */
    List<UUID> childrenAbove(UUID accountId, Map<String, Integer> ceiling);

    /**
     * The users the user lookup ({@code command_lookup.app_user}) has as active in the account, in id order:
     * candidates only, which the loaded users confirm ({@link AccountMembers}).
     */
    List<UUID> activeUsersOf(UUID accountId);

    /**
     * Holds the tree of {@code accountId} still for the rest of the command's transaction: {@code exclusive} for a
     * change of structure (a move), shared for commands whose rules depend on it (creating a child checks the depth).
     * Finding the tree and locking it is one step (an account never changes organization); an unknown account locks
     * nothing. Read the account's place only after it: a read before the lock may miss a move that held it.
     */
    void lockTreeOf(UUID accountId, boolean exclusive);

    /**
     * An account's place: {@code path} runs from the root to the account itself; {@code parentId} is null for a
     * root; {@code depth} is 0 for a root; {@code suspended} is true when the account or any ancestor is suspended.
     */
    record Node(UUID id, UUID rootId, UUID parentId, List<UUID> path, int depth, boolean suspended) {

        public boolean isWithinSubtreeOf(UUID ancestor) {
            return path.contains(ancestor);
        }

        /**
         * A user does not take an account, or a user, out from under a suspension: moved elsewhere it would no longer
         * be suspended, which would lift the suspension for it without the right to (the admin's is the admin's).
         * The admin may; a user lifts the suspension first.
         */
        public void requireLeavableBy(CommandCaller caller, String what) {
            if (suspended && !caller.isAdmin()) {
                throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED, what + " is under a suspension (account " + id
                        + " or one above it); lift the suspension before moving it out.");
            }
        }
    }
}
