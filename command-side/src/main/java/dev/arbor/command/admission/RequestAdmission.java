package dev.arbor.command.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.platform.security.Caller;
import dev.arbor.platform.web.BufferedBody;
import dev.arbor.platform.web.CallerShares;
import dev.arbor.platform.web.ProblemResponses;
import dev.arbor.platform.web.RequestSizeLimit;
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
 * <p>
 * A request's body is read whole before it takes a place, within {@code arbor.admission.body-deadline} (10 s) of its
 * arrival, or it is refused with 408 {@code REQUEST_TIMEOUT}: a place is then held only for the work itself, never
 * for a client sending its body a byte a second (16 such clients held every place for as long as they liked). This
 * runs after authentication, so only a valid token's body is read at all; and a user's token has at most
 * {@code arbor.admission.max-per-caller} (8) requests here at once, body reading included, one more refused at once
 * with 429 {@code RATE_LIMITED}: one token trickling bodies can no longer hold every request thread (64). The
 * platform admin, the operator, has no per-caller share. A request without a caller (only the API docs and
 * {@code /error} let one through) has no body read at all, and a chunked body is refused (411
 * {@code LENGTH_REQUIRED}): its framing can trickle in without a byte of data, out of the deadline's reach.
 */
class RequestAdmission extends OncePerRequestFilter {

    /** Overload passes in moments: a client may come back soon. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final Semaphore places;
    private final CallerShares callers;
    private final Duration maxWait;
    private final Duration bodyDeadline;
    private final ObjectMapper json;
    private final Counter refused;

    RequestAdmission(int maxInFlight, int maxPerCaller, Duration maxWait, Duration bodyDeadline, ObjectMapper json,
                     MeterRegistry meters) {
        this.places = new Semaphore(maxInFlight, true);
        this.callers = new CallerShares(Integer.MAX_VALUE, maxPerCaller);
        this.maxWait = maxWait;
        this.bodyDeadline = bodyDeadline;
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
        if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            // a chunked body's framing arrives without data, which a deadline on the body's bytes cannot stop
            problem(response, ErrorCode.LENGTH_REQUIRED, "Send the body with a Content-Length.");
            return;
        }
        Caller known = Caller.currentOrNull();
        if (known == null && request.getContentLengthLong() > 0) {
            // only the pages anyone may see (API docs, /error) come here without a caller, and none takes a body
            problem(response, ErrorCode.UNAUTHENTICATED, "A request with a body needs a bearer token.");
            return;
        }
        String caller = known instanceof Caller.User user ? user.actor() : null;
        if (caller == null) {
            readAndAdmit(request, response, chain);
            return;
        }
        if (!callers.enter(caller)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            problem(response, ErrorCode.RATE_LIMITED, "Too many of your requests are in progress; retry later.");
            return;
        }
        try {
            readAndAdmit(request, response, chain);
        } finally {
            callers.leave(caller);
        }
    }

    private void readAndAdmit(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long deadline = System.nanoTime() + bodyDeadline.toNanos();
        HttpServletRequest whole;
        try {
            whole = new BufferedBody(request, BufferedBody.read(request, deadline));
        } catch (BufferedBody.TooSlow slow) {
            problem(response, ErrorCode.REQUEST_TIMEOUT, "The request body did not arrive within "
                    + bodyDeadline.toSeconds() + " s.");
            return;
        } catch (RequestSizeLimit.PayloadTooLarge tooLarge) {
            problem(response, ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            return;
        }
        if (!admit()) {
            refused.increment();
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            problem(response, ErrorCode.OVERLOADED, "Arbor is busy with other requests; retry later.");
            return;
        }
        try {
            chain.doFilter(whole, response);
        } finally {
            places.release();
        }
    }

    /** With its length: a refusal before the body was read closes the connection, and the answer must be whole. */
    private void problem(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        byte[] body = json.writeValueAsBytes(ProblemResponses.problem(code, detail));
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
