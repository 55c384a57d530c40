package dev.arbor.query.processing.progress;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.query.access.QueryScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.platform.web.CallerShares;
import dev.arbor.platform.web.RetryLater;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;
import java.util.List;

/**
 * Read your own writes: a query with {@code Arbor-Min-Position: <position>} (a command's {@code position}) waits
 * until the processors it reads from have processed that position (the read model's, and for {@code /audit} the
 * audit log's too: subtrees and the caller's scope are read from the read model), at most {@code Arbor-Max-Wait}
 * milliseconds (default 5000, at most 30000), then answers; still behind, it adds {@code Arbor-Stale: true}. Without
 * the header, queries never wait. A caller whose standing is bad (a deactivated user, a suspended or deleted account)
 * is refused, 403, before it waits.
 * <p>
 * A waiting query holds a request thread, so at most {@code arbor.read-your-writes.max-waiters} (32) wait at once on
 * a node, and at most {@code max-waiters-per-caller} (4) of one caller, shared fairly ({@link CallerShares}: a
 * caller's waits beyond its first leave a quarter of the places to other callers' first, so 8 callers waiting all
 * they may hold 26, not 32, and the next 6 callers still wait); one more is refused at once with 503
 * {@code OVERLOADED} and {@code Retry-After}, and other queries, which never wait, keep their threads. Waiters look
 * at the positions when a processor commits ({@link ProcessingProgress}), and at least every
 * {@value #RECHECK_MILLIS} ms for what no local commit announces.
 */
@Configuration
class ReadYourWrites implements WebMvcConfigurer, HandlerInterceptor {

    static final String MIN_POSITION = "Arbor-Min-Position";
    static final String MAX_WAIT = "Arbor-Max-Wait";
    static final String STALE = "Arbor-Stale";
    private static final long DEFAULT_WAIT_MILLIS = 5_000;
    private static final long LONGEST_WAIT_MILLIS = 30_000;
    /**
     * Other nodes' segments show their progress in token_entry within {@code arbor.token-store-interval} (200 ms) of
     * their commit: looking more often would find little new.
     */
    static final long RECHECK_MILLIS = 100;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ReadModelPosition readModel;
    private final QueryScope scope;
    private final ProcessingProgress progress;
    private final CallerShares waiters;

    ReadYourWrites(ReadModelPosition readModel, QueryScope scope, ProcessingProgress progress,
                   @Value("${arbor.read-your-writes.max-waiters:32}") int maxWaiters,
                   @Value("${arbor.read-your-writes.max-waiters-per-caller:4}") int maxWaitersPerCaller,
                   MeterRegistry meters) {
        this.readModel = readModel;
        this.scope = scope;
        this.progress = progress;
        this.waiters = new CallerShares(maxWaiters, maxWaitersPerCaller);
        Gauge.builder("arbor.read-your-writes.waiting", waiters, CallerShares::held)
             .description("Queries waiting for their Arbor-Min-Position")
             .register(meters);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws InterruptedException {
        Long position = number(request.getHeader(MIN_POSITION));
        if (position == null) {
            return true;
        }
        scope.requireStandingBeforeWaiting();
        Long wait = number(request.getHeader(MAX_WAIT));
        long deadline = System.currentTimeMillis()
                + Math.min(wait == null ? DEFAULT_WAIT_MILLIS : wait, LONGEST_WAIT_MILLIS);
        List<String> processors = request.getRequestURI().startsWith("/api/v1/audit")
                ? List.of(ProcessingGroups.AUDIT, ProcessingGroups.PROJECTION)
                : List.of(ProcessingGroups.PROJECTION);
        String caller = request.getUserPrincipal() == null ? "" : request.getUserPrincipal().getName();
        if (!waiters.enter(caller)) {
            throw new RetryLater(ErrorCode.OVERLOADED, "Too many queries are waiting for their Arbor-Min-Position; "
                    + "retry later, or read without it.", RETRY_AFTER);
        }
        try {
            while (true) {
                long seen = progress.commits();
                if (processors.stream().allMatch(processor -> readModel.hasProcessed(processor, position))) {
                    return true;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    response.setHeader(STALE, "true");
                    return true;
                }
                progress.awaitCommitAfter(seen, Math.min(left, RECHECK_MILLIS));
            }
        } finally {
            waiters.leave(caller);
        }
    }

    /** A header that is not a non-negative number is ignored, as if absent. */
    private static Long number(String header) {
        if (header == null || !header.strip().matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(header.strip());
    }
}
