package dev.arbor.query.processing;

import dev.arbor.query.access.QueryScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * Read your own writes: a query with {@code Arbor-Min-Position: <position>} (a command's {@code position}) waits
 * until the processors it reads from have processed that position (the read model's, and for {@code /audit} the
 * audit log's too: subtrees and the caller's scope are read from the read model), at most {@code Arbor-Max-Wait}
 * milliseconds (default 5000, at most 30000), then answers; still behind, it adds {@code Arbor-Stale: true}. Without
 * the header, queries never wait. A caller whose standing is bad (a deactivated user, a suspended or deleted account)
 * is refused, 403, before it waits.
 */
@Configuration
class ReadYourWrites implements WebMvcConfigurer, HandlerInterceptor {

    static final String MIN_POSITION = "Arbor-Min-Position";
    static final String MAX_WAIT = "Arbor-Max-Wait";
    static final String STALE = "Arbor-Stale";
    private static final long DEFAULT_WAIT_MILLIS = 5_000;
    private static final long LONGEST_WAIT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 10;

    private final ReadModelPosition readModel;
    private final QueryScope scope;

    ReadYourWrites(ReadModelPosition readModel, QueryScope scope) {
        this.readModel = readModel;
        this.scope = scope;
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
                ? List.of(ReadModelPosition.AUDIT, ReadModelPosition.PROJECTION)
                : List.of(ReadModelPosition.PROJECTION);
        while (!processors.stream().allMatch(processor -> readModel.hasProcessed(processor, position))) {
            if (System.currentTimeMillis() >= deadline) {
                response.setHeader(STALE, "true");
                return true;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** A header that is not a non-negative number is ignored, as if absent. */
    private static Long number(String header) {
        if (header == null || !header.strip().matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(header.strip());
    }
}
