package dev.arbor.api.account;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;

/**
 * The most seats one account holds, and so the most a command names or a seat token is worth. A bound far below
 * {@code Long.MAX_VALUE}, so that no fold of seats (an account's total, a subtree's sum over at most millions of
 * accounts, on either side) can overflow a {@code long} or PostgreSQL's {@code bigint}.
 */
public final class Seats {

    public static final long MAX = 1_000_000_000L;

    private Seats() {
    }

    /** Refuses (400 {@code TOO_MANY_SEATS}) a command or token naming more seats than one account holds. */
    public static void requireAtMost(long count, String what) {
        if (count > MAX) {
            throw new RuleViolation(ErrorCode.TOO_MANY_SEATS,
                                    what + " names " + count + " seats; one account holds at most " + MAX + ".");
        }
    }

    /** Refuses (400 {@code TOO_MANY_SEATS}) {@code added} seats on top of {@code held}, both never negative. */
    public static void requireRoomFor(long held, long added, String holder) {
        // subtracting instead of adding: held is at most MAX, so this cannot overflow however large added is
        if (added > MAX - held) {
            throw new RuleViolation(ErrorCode.TOO_MANY_SEATS, holder + " would hold more than " + MAX
                    + " seats, the most one account holds: it holds " + held + ", and " + added + " were asked.");
        }
    }
}
