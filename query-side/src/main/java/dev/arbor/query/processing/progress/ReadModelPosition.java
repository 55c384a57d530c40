package dev.arbor.query.processing.progress;

import dev.arbor.query.processing.ProcessingGroups;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * How far a processor (the read model's, or the audit log's) has come, segment by segment. This node's own segments are read from its processor, which
 * knows their position at once (a segment that had no events of its own in a batch still moves on); the segments
 * other nodes hold are read from their tokens in {@code read_model.token_entry}, which such a segment stores only
 * when it extends its claim (every few seconds), so across nodes the answer can lag by that much.
 */
@Component
public class ReadModelPosition {

    private final ProcessorTokens tokens;
    private final EventProcessingConfiguration processing;

    ReadModelPosition(ProcessorTokens tokens, EventProcessingConfiguration processing) {
        this.tokens = tokens;
        this.processing = processing;
    }

    /**
     * True when every segment of the processor ({@link ProcessingGroups#PROJECTION} or {@link ProcessingGroups#AUDIT}) has processed the event at
     * {@code position}, or skipped it as another segment's.
     */
    public boolean hasProcessed(String processor, long position) {
        Map<Integer, EventTrackerStatus> local = processing.eventProcessor(processor, StreamingEventProcessor.class)
                                                           .map(StreamingEventProcessor::processingStatus)
                                                           .orElse(Map.of());
        List<ProcessorTokens.Stored> stored = tokens.of(processor);
        return !stored.isEmpty() && stored.stream().allMatch(segment -> ProcessorTokens.covers(
                local.containsKey(segment.segment()) ? local.get(segment.segment()).getTrackingToken()
                                                     : segment.token(),
                position));
    }
}
