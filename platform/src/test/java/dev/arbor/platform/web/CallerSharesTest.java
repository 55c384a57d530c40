package dev.arbor.platform.web;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Places shared by callers: neither one caller nor a few fill them, and each given back is free again. */
class CallerSharesTest {

    /** The read-your-writes waiters' defaults: 32 a node, 4 a caller. */
    private final CallerShares waiters = new CallerShares(32, 4);

    @Test
    void eightCallersTakingAllTheyMayLeaveAQuarterOfThePlacesToOtherCallers() {
        int taken = IntStream.rangeClosed(1, 8).map(caller -> take(waiters, "caller-" + caller, 4)).sum();

        assertThat(taken).as("8 callers, 4 each, of 32 places").isEqualTo(26);
        assertThat(IntStream.rangeClosed(9, 14).map(caller -> take(waiters, "caller-" + caller, 4)).sum())
                .as("a first place each for six more callers, and no second").isEqualTo(6);
        assertThat(waiters.enter("caller-15")).as("all 32 held").isFalse();
    }

    @Test
    void aCallerHoldsNoMoreThanItsCapEvenOnAnIdleNode() {
        assertThat(take(waiters, "alone", 10)).isEqualTo(4);
    }

    @Test
    void aPlaceGivenBackIsFreeAgainForTheSameCaller() {
        take(waiters, "alone", 4);
        waiters.leave("alone");

        assertThat(waiters.enter("alone")).isTrue();
        assertThat(waiters.enter("alone")).isFalse();
    }

    @Test
    void twoPlacesGoOneToACaller() {
        CallerShares folds = new CallerShares(2, 2);

        assertThat(take(folds, "first", 2)).isEqualTo(1);
        assertThat(take(folds, "second", 2)).isEqualTo(1);
        assertThat(folds.enter("third")).isFalse();
    }

    /** How many of {@code wanted} places {@code caller} gets. */
    private static int take(CallerShares shares, String caller, int wanted) {
        return (int) IntStream.range(0, wanted).filter(attempt -> shares.enter(caller)).count();
    }
}
