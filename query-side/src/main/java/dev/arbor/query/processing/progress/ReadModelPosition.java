package dev.arbor.query.processing.progress;

import dev.arbor.query.access.FoldedThrough;
import dev.arbor.query.processing.ProcessingGroups;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How far a processor (the read model's, or the audit log's) has come, segment by segment. This node's own segments are read from its processor, which
 * knows their position at once (a segment that had no events of its own in a batch still moves on); the segments
 * other nodes hold are read from their tokens in {@code read_model.token_entry}: a segment stores its token with every
 * batch it handles, and one that only passed over other segments' events within {@code arbor.token-store-interval}
 * (SegmentsConfiguration), so across nodes the answer can lag by that much.
 */
@Component
public class ReadModelPosition implements FoldedThrough {

    private final ProcessorTokens tokens;
    private final EventProcessingConfiguration processing;
    private final JdbcClient jdbc;

    ReadModelPosition(ProcessorTokens tokens, EventProcessingConfiguration processing, JdbcClient jdbc) {
        this.tokens = tokens;
        this.processing = processing;
        this.jdbc = jdbc;
    }

    /**
     * True when every segment of the processor ({@link ProcessingGroups#PROJECTION} or {@link ProcessingGroups#AUDIT}) has processed the event at
     * {@code position}, or skipped it as another segment's.
     */
    public boolean hasProcessed(String processor, long position) {
        Collection<TrackingToken> segments = segmentTokensById(processor).values();
        return !segments.isEmpty() && segments.stream().allMatch(token -> ProcessorTokens.covers(token, position));
    }

    /**
     * The segment of the read model's processor that folds the organization's events (they are sequenced by their
     * organization: {@link TreeSequencingPolicy}) has come this far with no gap below, and none of them waits in the
     * dead letters below it (the organization's later events are parked behind such an event).
     */
    @Override
    public long positionOf(UUID organization) {
        long processed = ProcessorTokens.ofSequence(segmentTokensById(ProcessingGroups.PROJECTION), organization)
                                        .mapToLong(ProcessorTokens::coveredThrough).min().orElse(-1);
        // the dead-letter queue keys a sequence (an organization: TreeSequencingPolicy) by its identifier's hash
        long firstParked = jdbc.sql("""
                SELECT coalesce(min(e.global_index), 9223372036854775807) FROM dead_letter_entry d
                  JOIN event_store.domain_event_entry e
                    ON e.aggregate_identifier = d.aggregate_identifier AND e.sequence_number = d.sequence_number
                 WHERE d.processing_group = ? AND d.sequence_identifier = ?""")
                               .params(ProcessingGroups.PROJECTION, Integer.toString(organization.hashCode()))
                               .query(Long.class).single();
        return Math.min(processed, firstParked - 1);
    }

    /** Each segment's token by segment id: this node's own from its processor, the others' as stored. */
    private Map<Integer, TrackingToken> segmentTokensById(String processor) {
        Map<Integer, EventTrackerStatus> local = processing.eventProcessor(processor, StreamingEventProcessor.class)
                                                           .map(StreamingEventProcessor::processingStatus)
                                                           .orElse(Map.of());
        Map<Integer, TrackingToken> bySegment = new TreeMap<>();
        tokens.of(processor).forEach(segment -> bySegment.put(segment.segment(), local.containsKey(segment.segment())
                ? local.get(segment.segment()).getTrackingToken() : segment.token()));
        return bySegment;
    }
}
