package dev.arbor.query.processing.progress;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a segment's token has an event behind it: at or past its position, and not one of its gaps. */
class ProcessorTokensTest {

    @Test
    void aTokenCoversThePositionsUpToItsOwnButItsGaps() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(10, List.of(4L, 7L));

        assertThat(ProcessorTokens.covers(token, 3)).isTrue();
        assertThat(ProcessorTokens.covers(token, 4)).as("a gap: not seen committed yet").isFalse();
        assertThat(ProcessorTokens.covers(token, 7)).isFalse();
        assertThat(ProcessorTokens.covers(token, 10)).isTrue();
        assertThat(ProcessorTokens.covers(token, 11)).isFalse();
    }

    @Test
    void noTokenCoversNothing() {
        assertThat(ProcessorTokens.covers(null, 0)).isFalse();
    }

    @Test
    void aReplayingSegmentCoversOnlyWhatItHasReplayed() {
        ReplayToken replaying = (ReplayToken) ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(100),
                                                                            new GlobalSequenceTrackingToken(5));

        assertThat(ProcessorTokens.covers(replaying, 5)).isTrue();
        assertThat(ProcessorTokens.covers(replaying, 6)).as("below the replay's end, not yet replayed").isFalse();
    }
}
