package dev.arbor.query.processing;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * How far the read model has come, segment by segment. This node's own segments are read from its processor, which
 * knows their position at once (a segment that had no events of its own in a batch still moves on); the segments
 * other nodes hold are read from their tokens in {@code read_model.token_entry}, which such a segment stores only
 * when it extends its claim (every few seconds), so across nodes the answer can lag by that much.
 */
@Component
public class ReadModelPosition {

    /** The processing group of every read-model projection (accounts, users, devices). */
    public static final String PROJECTION = "accounts";
    /** The audit log's processing group, replayed on its own. */
    public static final String AUDIT = "audit";

    private final JdbcClient jdbc;
    private final Serializer serializer;
    private final EventProcessingConfiguration processing;

    ReadModelPosition(JdbcClient jdbc, Serializer serializer, EventProcessingConfiguration processing) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.processing = processing;
    }

    /**
     * True when every segment of every processor (the read model's and the audit log's) has processed the event at
     * {@code position} (or skipped it as another segment's): its token is at or past it, and it is not among the
     * token's gaps (sequence numbers not yet seen committed).
     */
    public boolean hasProcessed(long position) {
        return processing.eventProcessors().keySet().stream().allMatch(name -> hasProcessed(name, position));
    }

    private boolean hasProcessed(String processor, long position) {
        Map<Integer, EventTrackerStatus> local = processing.eventProcessor(processor, StreamingEventProcessor.class)
                                                           .map(StreamingEventProcessor::processingStatus)
                                                           .orElse(Map.of());
        Map<Integer, TrackingToken> stored = new HashMap<>();
        jdbc.sql("SELECT segment, token, token_type FROM read_model.token_entry WHERE processor_name = ?")
            .param(processor)
            .query((rs, row) -> stored.put(rs.getInt("segment"), token(rs.getBytes("token"), rs.getString("token_type"))))
            .list();
        return !stored.isEmpty() && stored.entrySet().stream().allMatch(segment -> covers(
                local.containsKey(segment.getKey()) ? local.get(segment.getKey()).getTrackingToken() : segment.getValue(),
                position));
    }

    private TrackingToken token(byte[] bytes, String type) {
        if (bytes == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
    }

    private static boolean covers(TrackingToken token, long position) {
        TrackingToken current = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (current == null || current.position().orElse(-1) < position) {
            return false;
        }
        return !(current instanceof GapAwareTrackingToken gapAware) || !gapAware.getGaps().contains(position);
    }
}
