package dev.arbor.query.processing.progress;

import org.axonframework.eventhandling.ErrorContext;
import org.axonframework.eventhandling.ErrorHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last failure of each event processor's event handling on this node, kept after the processor has recovered.
 * Axon's status shows a segment's error only while the segment is in error: a failed batch is rolled back, its
 * segment released and claimed again a moment later with a clean status. As the processors' {@link ErrorHandler},
 * this class sees each failed batch, remembers it, and propagates the failure as Axon's default handler does (the
 * batch is retried). Kept in memory: a node that restarts, or another node, has its own.
 */
@Component
public class ProcessorErrors implements ErrorHandler {

    /** When a batch of the processor last failed, with the failure and its innermost cause. */
    public record LastError(Instant at, String error) {
    }

    private final Map<String, LastError> last = new ConcurrentHashMap<>();

    @Override
    public void handleError(ErrorContext context) throws Exception {
        last.put(context.eventProcessor(), new LastError(Instant.now(), describe(context.error())));
        PropagatingErrorHandler.instance().handleError(context);
    }

    public Optional<LastError> of(String processor) {
        return Optional.ofNullable(last.get(processor));
    }

    private static String describe(Throwable error) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        return cause == error ? String.valueOf(error) : error + "; caused by " + cause;
    }
}
