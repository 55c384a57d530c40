package dev.arbor.query.processing.progress;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The processors' tokens as stored in {@code read_model.token_entry}, one per segment. */
@Component
public class ProcessorTokens {

    /** A segment's stored token (null before its first event) and the node that holds it (null when free). */
    public record Stored(int segment, String owner, TrackingToken token) {
    }

    private final JdbcClient jdbc;
    private final Serializer serializer;

    ProcessorTokens(JdbcClient jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    public List<Stored> of(String processor) {
        return jdbc.sql("""
                        SELECT segment, owner, token, token_type FROM read_model.token_entry
                         WHERE processor_name = ? ORDER BY segment""")
                   .param(processor)
                   .query((rs, row) -> new Stored(rs.getInt("segment"), rs.getString("owner"),
                                                  token(rs.getBytes("token"), rs.getString("token_type"))))
                   .list();
    }

    /**
     * Which events the processor's stored tokens have behind them (processed, or skipped as another segment's), each
     * judged by the token of the segment it belongs to under {@code sequencing}. The tokens are read now; in a
     * repeatable-read transaction they match the rows committed with them exactly.
     */
    public Predicate<TrackedEventMessage<?>> processedBy(String processor,
                                                         SequencingPolicy<? super EventMessage<?>> sequencing) {
        Map<Integer, TrackingToken> bySegment = new HashMap<>();
        of(processor).forEach(segment -> bySegment.put(segment.segment(), segment.token()));
        return event -> {
            Object sequence = Objects.requireNonNullElse(sequencing.getSequenceIdentifierFor(event),
                                                         event.getIdentifier());
            long position = event.trackingToken().position().orElseThrow();
            return ofSequence(bySegment, sequence).anyMatch(token -> covers(token, position));
        };
    }

    /** The token of the segment that holds {@code sequence}, among the tokens of every segment by segment id. */
    static Stream<TrackingToken> ofSequence(Map<Integer, TrackingToken> bySegment, Object sequence) {
        int[] ids = bySegment.keySet().stream().mapToInt(Integer::intValue).toArray();
        return bySegment.entrySet().stream()
                        .filter(segment -> Segment.computeSegment(segment.getKey(), ids)
                                                  .matches(Objects.hashCode(sequence)))
                        .map(Map.Entry::getValue);
    }

    /**
     * How far every segment of the processor has come: {@code through}, the lowest of their positions (-1 when some
     * segment has not started), and the positions at or below it that some segment still holds as a gap (seen empty,
     * not yet proved empty for good). Every event at or below {@code through} but those is behind every segment.
     */
    public record Passed(long through, SortedSet<Long> gaps) {
    }

    public Passed passed(String processor) {
        long through = Long.MAX_VALUE;
        SortedSet<Long> gaps = new TreeSet<>();
        for (Stored segment : of(processor)) {
            TrackingToken token = segment.token() == null ? null : WrappedToken.unwrapLowerBound(segment.token());
            through = Math.min(through, token == null ? -1 : token.position().orElse(-1));
            if (token instanceof GapAwareTrackingToken gapAware) {
                gaps.addAll(gapAware.getGaps());
            }
        }
        long lowest = through == Long.MAX_VALUE ? -1 : through;
        return new Passed(lowest, new TreeSet<>(gaps.headSet(lowest + 1)));
    }

    /**
     * The highest position at and below which every segment of the processor has every event behind it: no segment
     * is behind it and none has a gap below it. -1 when some segment has not started.
     */
    public long processedThroughout(String processor) {
        Passed passed = passed(processor);
        return passed.gaps().isEmpty() ? passed.through() : passed.gaps().first() - 1;
    }

    /**
     * True when {@code token} has the event at {@code position} behind it (processed it, or skipped it as another
     * segment's): it is at or past it, and it is not among the token's gaps (positions not yet seen committed).
     */
    public static boolean covers(TrackingToken token, long position) {
        TrackingToken current = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (current == null || current.position().orElse(-1) < position) {
            return false;
        }
        return !(current instanceof GapAwareTrackingToken gapAware) || !gapAware.getGaps().contains(position);
    }

    /** The highest position up to which {@code token} has seen every event (below its first gap); -1 for none. */
    static long coveredThrough(TrackingToken token) {
        TrackingToken current = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (current == null) {
            return -1;
        }
        long position = current.position().orElse(-1);
        return current instanceof GapAwareTrackingToken gapAware && !gapAware.getGaps().isEmpty()
               ? Math.min(position, gapAware.getGaps().first() - 1) : position;
    }

    private TrackingToken token(byte[] bytes, String type) {
        return bytes == null ? null : serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type,
                                                                                          null));
    }
}
