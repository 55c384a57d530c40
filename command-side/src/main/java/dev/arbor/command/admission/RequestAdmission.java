package dev.arbor.command.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.platform.web.ProblemResponses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets at most {@code arbor.admission.max-in-flight} requests work at once; one more waits at most
 * {@code arbor.admission.max-wait} for a place, then is refused with 503 {@code OVERLOADED} and {@code Retry-After}.
 * Past what the database can take, more concurrent commands only wait longer for a connection and hold more memory:
 * refusing the excess early keeps the accepted ones fast and the node's memory bounded. Health probes are never
 * refused, so that an overloaded node is not mistaken for a dead one.
 */
class RequestAdmission extends OncePerRequestFilter {

    /** Overload passes in moments: a client may come back soon. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final Semaphore places;
    private final Duration maxWait;
    private final ObjectMapper json;
    private final Counter refused;

    RequestAdmission(int maxInFlight, Duration maxWait, ObjectMapper json, MeterRegistry meters) {
        this.places = new Semaphore(maxInFlight, true);
        this.maxWait = maxWait;
        this.json = json;
        this.refused = Counter.builder("arbor.admission.refused")
                              .description("Requests refused with 503 OVERLOADED")
                              .register(meters);
        Gauge.builder("arbor.admission.in.flight", places, free -> maxInFlight - free.availablePermits())
             .description("Requests admitted and not yet answered")
             .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admit()) {
            refused.increment();
            response.setStatus(ErrorCode.OVERLOADED.httpStatus());
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), ProblemResponses.problem(
                    ErrorCode.OVERLOADED, "Arbor is busy with other requests; retry later."));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            places.release();
        }
    }

    private boolean admit() throws ServletException {
        try {
            return places.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServletException("Interrupted while waiting for admission", e);
        }
    }
}
