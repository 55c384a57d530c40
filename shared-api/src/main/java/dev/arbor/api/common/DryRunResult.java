package dev.arbor.api.common;

import java.util.List;
import java.util.Map;

/**
 * What a command run dry ({@code Arbor-Dry-Run: true}) answers: the events it would have appended, in order, and the
 * seat balances of the accounts they touch as they would be after it. Nothing was appended or written.
 *
 * @param dryRun always {@code true}: this is a preview, not a {@link CommandResult}
 * @param id     the aggregate the command affects
 * @param events the events, in the order the command would append them
 * @param seats  per account the events touch, its seat balance after the command
 * @param move   for a subtree move, what moves with it; otherwise absent
 */
public record DryRunResult(boolean dryRun, String id, List<Event> events, Map<String, Long> seats, Move move) {

    /**
     * One event the command would append.
     *
     * @param type        the event's type (its record's simple name, as the audit log shows it)
     * @param aggregateId the aggregate it would be appended to
     * @param sequence    its sequence number in that aggregate
     * @param payload     the event's fields
     */
    public record Event(String type, String aggregateId, long sequence, Object payload) {
    }

    /**
     * What a subtree move takes along.
     *
     * @param accounts    the accounts of the moved subtree (the moved one first), with their depth before and after
     * @param users       the users of those accounts (active or not)
     * @param devices     the devices registered to them
     * @param depthChange how much deeper (positive) or shallower (negative) every moved account ends up
     */
    public record Move(List<MovedAccount> accounts, long users, long devices, int depthChange) {
    }

    /** An account of a moved subtree, with its seats when the move loads it (the moved account). */
    public record MovedAccount(String id, int depthBefore, int depthAfter) {
    }
}
