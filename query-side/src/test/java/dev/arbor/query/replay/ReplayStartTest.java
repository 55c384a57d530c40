package dev.arbor.query.replay;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a replay from an instant starts for each segment, as Axon's {@link ReplayToken#createReplayToken} turns the
 * replay's start and the segment's token into the token it reads from next: no segment may skip an event it has not
 * processed.
 */
class ReplayStartTest {

    private static final TrackingToken AT_THE_INSTANT = at(499);

    @Test
    void aSegmentBehindTheInstantReadsOnFromWhereItIsAndOneAheadReplaysFromTheInstantOrEarlier() {
        TrackingToken behind = at(100);
        TrackingToken ahead = at(600);

        TrackingToken start = EventProcessors.noLaterThanAnySegment(AT_THE_INSTANT, segments(behind, ahead));

        assertThat(readsOnFrom(behind, start)).as("behind: nothing after 100 skipped").isLessThanOrEqualTo(100);
        assertThat(readsOnFrom(ahead, start)).as("ahead: replays from the instant or earlier").isLessThanOrEqualTo(499);
    }

    @Test
    void aSegmentStillReplayingFromTheFirstEventGoesOnFromWhereTheReplayIs() {
        TrackingToken replaying = ReplayToken.createReplayToken(at(1_000_000), at(1_000));

        TrackingToken start = EventProcessors.noLaterThanAnySegment(AT_THE_INSTANT, segments(replaying, at(600)));

        assertThat(readsOnFrom(replaying, start)).isLessThanOrEqualTo(1_000);
    }

    @Test
    void aSegmentThatHasProcessedNothingMakesTheReplayStartFromTheFirstEvent() {
        assertThat(EventProcessors.noLaterThanAnySegment(AT_THE_INSTANT, segments(null, at(600)))).isNull();
    }

    @Test
    void withEverySegmentPastTheInstantTheReplayStartsAtTheInstant() {
        TrackingToken start = EventProcessors.noLaterThanAnySegment(AT_THE_INSTANT, segments(at(600), at(700)));

        assertThat(start.position()).hasValue(499);
    }

    private static long readsOnFrom(TrackingToken segmentToken, TrackingToken start) {
        TrackingToken next = WrappedToken.unwrapLowerBound(ReplayToken.createReplayToken(segmentToken, start));
        return next == null ? -1 : next.position().orElseThrow();
    }

    private static TrackingToken at(long index) {
        return GapAwareTrackingToken.newInstance(index, List.of());
    }

    /** The segments' positions as the replay sees them: lower bounds of their tokens. */
    private static List<TrackingToken> segments(TrackingToken... tokens) {
        return Arrays.stream(tokens).map(WrappedToken::unwrapLowerBound).toList();
    }
}
