package dev.arbor.query.processing.segments;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.arbor.query.processing.segments.SegmentBalancer.segmentsToRelease;
import static org.assertj.core.api.Assertions.assertThat;

/** Which segments a node gives away, given what it holds, how many nodes are alive and how many segments there are. */
class SegmentBalancerTest {

    @Test
    void aLoneNodeKeepsEverySegment() {
        assertThat(segmentsToRelease(List.of(0, 1, 2, 3), 1, 4)).isEmpty();
    }

    @Test
    void theFirstOfTwoNodesGivesAwayHalfItsSegmentsHighestFirst() {
        assertThat(segmentsToRelease(List.of(2, 0, 3, 1), 2, 4)).containsExactly(3, 2);
    }

    @Test
    void aNodeAtItsFairShareKeepsItsSegments() {
        assertThat(segmentsToRelease(List.of(1, 3), 2, 4)).isEmpty();
        assertThat(segmentsToRelease(List.of(0), 2, 4)).isEmpty();
    }

    @Test
    void theFairShareRoundsUpWhenSegmentsDoNotDivideEvenly() {
        // 4 segments over 3 nodes: a share of 2, so 2-1-1 and also 2-2-0 are left alone
        assertThat(segmentsToRelease(List.of(0, 1, 2, 3), 3, 4)).containsExactly(3, 2);
        assertThat(segmentsToRelease(List.of(0, 1), 3, 4)).isEmpty();
    }

    @Test
    void moreNodesThanSegmentsLeaveEachNodeOneAtMost() {
        assertThat(segmentsToRelease(List.of(0, 1), 5, 4)).containsExactly(1);
    }

    @Test
    void noLiveNodeCountedIsTakenAsThisNodeAlone() {
        // the node's own heartbeat may not be visible yet: it must not give everything away
        assertThat(segmentsToRelease(List.of(0, 1, 2, 3), 0, 4)).isEmpty();
    }

    @Test
    void aNodeHoldingNothingReleasesNothing() {
        assertThat(segmentsToRelease(List.of(), 2, 4)).isEmpty();
    }
}
