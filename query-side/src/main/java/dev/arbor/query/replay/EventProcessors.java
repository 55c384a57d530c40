package dev.arbor.query.replay;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.processing.progress.ProcessorErrors;
import dev.arbor.query.processing.progress.ProcessorTokens;
import dev.arbor.query.processing.Replay;
import dev.arbor.platform.eventstore.StoredEvents;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The query side's event processors as an operator sees them (segments, who holds them, position, lag, replay
 * progress, errors), and replays. Segments this node processes are described from its live status; those other
 * nodes hold, from their tokens in {@code read_model.token_entry}. A segment's {@code error} is the one it is in
 * now; the processor's {@code lastError}, this node's last failed batch, stays after the processor has recovered.
 */
@Component
class EventProcessors {

    private final EventProcessingConfiguration processing;
    private final ProcessorTokens tokens;
    private final StoredEvents events;
    private final ProcessorErrors errors;

    EventProcessors(EventProcessingConfiguration processing, ProcessorTokens tokens, StoredEvents events,
                    ProcessorErrors errors) {
        this.processing = processing;
        this.tokens = tokens;
        this.events = events;
        this.errors = errors;
    }

    List<ProcessorStatus> all() {
        long head = events.head();
        return processing.eventProcessors().keySet().stream().sorted().map(name -> status(name, head)).toList();
    }

    ProcessorStatus status(String name) {
        return status(name, events.head());
    }

    private ProcessorStatus status(String name, long head) {
        StreamingEventProcessor processor = processor(name);
        Map<Integer, EventTrackerStatus> local = processor.processingStatus();
        List<ProcessorStatus.Segment> segments = tokens.of(name).stream().map(stored -> {
            EventTrackerStatus live = local.get(stored.segment());
            // the live status unwraps a replay's token, so its positions come from the status itself
            OptionalLong position = live != null ? live.getCurrentPosition() : position(stored.token());
            OptionalLong resetAt = live != null ? live.getResetPosition() : ReplayToken.getTokenAtReset(stored.token());
            String error = live != null && live.isErrorState() ? String.valueOf(live.getError()) : null;
            return ProcessorStatus.Segment.of(stored.segment(), stored.owner(), live != null, position, resetAt, head,
                                              error);
        }).toList();
        String state = processor.isError() ? "ERROR" : processor.isRunning() ? "RUNNING" : "STOPPED";
        return ProcessorStatus.of(name, state, head, segments, errors.of(name).orElse(null));
    }

    private static OptionalLong position(TrackingToken token) {
        return token == null ? OptionalLong.empty() : token.position();
    }

    /**
     * Replays a processor from the first event (its projections start from empty tables) or from {@code from}. The
     * processor stops on this node, its tokens are reset, and it starts again; it catches up in the background, and
     * {@link #status} shows how far. Every segment must be free: other nodes stop the processor first.
     */
    ProcessorStatus replay(String name, Instant from) {
        StreamingEventProcessor processor = processor(name);
        if (!processor.supportsReset()) {
            throw new RuleViolation(ErrorCode.MALFORMED_REQUEST, "Processor " + name + " cannot be replayed.");
        }
        Map<Integer, TrackingToken> reachedHere = reached(processor);
        processor.shutDown();
        try {
            processor.resetTokens(source -> from == null ? source.createTailToken()
                                                         : noLaterThanAnySegment(source.createTokenAt(from),
                                                                                 positions(name, reachedHere)),
                                  new Replay(from));
            if (from == null) {
                // every event is retried from the first, so what the dead letters hold comes round again
                processing.deadLetterQueue(name).ifPresent(SequencedDeadLetterQueue::clear);
            }
        } catch (UnableToClaimTokenException claimedElsewhere) {
            throw new RuleViolation(ErrorCode.PROCESSOR_BUSY, "Another node holds segments of " + name
                    + "; stop the processor on every other node, then replay: " + claimedElsewhere.getMessage());
        } finally {
            processor.start();
        }
        return status(name);
    }

    /**
     * Where a replay from an instant starts: at the instant's token, or earlier where a segment has not reached it yet
     * (one catching up, or still replaying from the first event). Axon moves a segment behind the replay's start
     * straight to it, so the events between would never reach that segment; from an earlier start a segment ahead
     * only sees again events it has (which change nothing), and one behind reads on from where it is.
     */
    static TrackingToken noLaterThanAnySegment(TrackingToken start, List<TrackingToken> segmentPositions) {
        TrackingToken earliest = start;
        for (TrackingToken position : segmentPositions) {
            if (earliest == null || position == null) {
                return null;
            }
            earliest = earliest.lowerBound(position);
        }
        return earliest;
    }

    /** How far each segment this node processes has gone, processed or passed as another segment's. */
    private static Map<Integer, TrackingToken> reached(StreamingEventProcessor processor) {
        Map<Integer, TrackingToken> reached = new HashMap<>();
        processor.processingStatus().forEach((segment, status) -> reached.put(segment, status.getTrackingToken()));
        return reached;
    }

    /**
     * Each segment's position: its stored token, or how far this node had gone with it, whichever is further. A
     * segment stores its token after each batch it processes, but after passing only other segments' events just at
     * its next claim extension (seconds later): its stored token alone would start the replay too early.
     */
    private List<TrackingToken> positions(String name, Map<Integer, TrackingToken> reachedHere) {
        return tokens.of(name).stream().map(stored -> {
            TrackingToken storedAt = WrappedToken.unwrapLowerBound(stored.token());
            TrackingToken here = WrappedToken.unwrapLowerBound(reachedHere.get(stored.segment()));
            return storedAt == null ? here : here == null ? storedAt : storedAt.upperBound(here);
        }).toList();
    }

    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow(
                () -> new RuleViolation(ErrorCode.NOT_FOUND, "No event processor named " + name + "."));
    }

    /**
     * A processor and its segments; positions are global indexes of the event store. {@code lastError} is the last
     * failure of its event handling on this node (null for none since it started), whether or not it has recovered.
     */
    record ProcessorStatus(String name, String state, long head, Long position, long lag, boolean replaying,
                           ProcessorErrors.LastError lastError, List<Segment> segments) {

        static ProcessorStatus of(String name, String state, long head, List<Segment> segments,
                                  ProcessorErrors.LastError lastError) {
            boolean allStarted = !segments.isEmpty() && segments.stream().allMatch(s -> s.position() != null);
            Long slowest = allStarted ? segments.stream().mapToLong(Segment::position).min().getAsLong() : null;
            return new ProcessorStatus(name, state, head, slowest,
                                       segments.stream().mapToLong(Segment::lag).max().orElse(head + 1),
                                       segments.stream().anyMatch(Segment::replaying), lastError, segments);
        }

        /**
         * One segment: who holds it ({@code owner}, and whether that is this node), where it is, how many events it
         * is behind the head of the store, and while replaying how far the replay has come (0 to 1).
         */
        record Segment(int segment, String owner, boolean thisNode, Long position, long lag, boolean replaying,
                       Double replayProgress, String error) {

            /**
             * A segment at {@code at}, replaying when it has a reset position it has not reached yet. (Axon keeps a
             * replay's token until the first event after that position, which an idle store never delivers.)
             */
            static Segment of(int segment, String owner, boolean thisNode, OptionalLong at, OptionalLong resetAt,
                              long head, String error) {
                Long position = at.isPresent() ? at.getAsLong() : null;
                long lag = position == null ? head + 1 : Math.max(0, head - position);
                boolean replaying = resetAt.isPresent() && (position == null || position < resetAt.getAsLong());
                return new Segment(segment, owner, thisNode, position, lag, replaying,
                                   replaying ? progress(position, resetAt.getAsLong()) : null, error);
            }

            private static double progress(Long position, long end) {
                return position == null || end <= 0 ? 0.0 : Math.min(1.0, (double) position / end);
            }
        }
    }
}
