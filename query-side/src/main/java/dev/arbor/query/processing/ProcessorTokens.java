package dev.arbor.query.processing;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

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

    private TrackingToken token(byte[] bytes, String type) {
        return bytes == null ? null : serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type,
                                                                                          null));
    }
}
