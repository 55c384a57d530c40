package dev.arbor.command.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.web.DryRunFilter;
import dev.arbor.platform.security.Caller;
import dev.arbor.platform.web.BufferedBody;
import dev.arbor.platform.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on a POST: a retry with the same key and body returns the first response and executes
 * nothing; the same key with another body answers 422 {@code IDEMPOTENCY_KEY_REUSED}. The key is claimed in the
 * command's own transaction ({@link CommandResults}), so a command and its key commit together, whatever the
 * concurrency or the node; the response is stored once the command has committed.
 */
@Component
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    static final String ATTRIBUTE = IdempotencyFilter.class.getName();
    private static final Pattern ACCEPTABLE = Pattern.compile("[\\x21-\\x7E]{1,200}");
    private static final long WAIT_FOR_FIRST_RESPONSE_MILLIS = 5_000;

    /** What {@link CommandMetadata} passes to the command: the key and the request it belongs to. */
    record Request(String key, String fingerprint) {
    }

    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final CallerStanding standing;

    IdempotencyFilter(IdempotencyKeys keys, ObjectMapper json, CallerStanding standing) {
        this.keys = keys;
        this.json = json;
        this.standing = standing;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // a dry run claims no key: the same key stays free for the real request
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
               || DryRunFilter.requested(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HEADER);
        if (!ACCEPTABLE.matcher(header).matches()) {
            problem(response, ErrorCode.MALFORMED_REQUEST, "Idempotency-Key must be 1-200 visible characters.");
            return;
        }
        // each caller's keys are its own: no one replays, or collides with, a request someone else sent
        Caller caller = Caller.currentOrNull();
        if (caller == null) {
            // a page anyone may see (API docs, /error): no command, so nothing to keep an answer of
            chain.doFilter(request, response);
            return;
        }
        String key = caller.actor() + " " + header;
        byte[] body = request.getInputStream().readAllBytes();
        String fingerprint = fingerprint(request, body);
        Optional<IdempotencyKeys.Claim> earlier = keys.find(key);
        if (earlier.isPresent()) {
            try {
                standing.requireActive(caller);
            } catch (RuleViolation refused) {
                problem(response, refused.code(), refused.getMessage());
                return;
            }
            answerFromClaim(earlier.get(), key, fingerprint, response);
            return;
        }
        request.setAttribute(ATTRIBUTE, new Request(key, fingerprint));
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        chain.doFilter(new BufferedBody(request, body), captured);
        if (captured.getStatus() < 300) {
            // a response marked no-store holds a secret (a seat token), which Arbor keeps nowhere
            boolean secret = "no-store".equals(captured.getHeader(HttpHeaders.CACHE_CONTROL));
            keys.storeResponse(key, captured.getStatus(), captured.getHeader(HttpHeaders.LOCATION),
                               secret ? null : new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8));
        } else {
            Optional<IdempotencyKeys.Claim> winner = keys.find(key);
            if (winner.isPresent()) {
                // Lost the race to a concurrent request with the same key: answer as it did.
                captured.resetBuffer();
                answerFromClaim(winner.get(), key, fingerprint, captured);
            }
        }
        captured.copyBodyToResponse();
    }

    private void answerFromClaim(IdempotencyKeys.Claim found, String key, String fingerprint,
                                 HttpServletResponse response) throws IOException {
        IdempotencyKeys.Claim claim = awaitResponse(found, key);
        if (!claim.fingerprint().equals(fingerprint)) {
            problem(response, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used for a different request.");
            return;
        }
        response.setHeader("Idempotent-Replayed", "true");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (claim.hasResponse() && claim.body() != null) {
            response.setStatus(claim.status());
            if (claim.location() != null) {
                response.setHeader(HttpHeaders.LOCATION, claim.location());
            }
            response.getOutputStream().write(claim.body().getBytes(StandardCharsets.UTF_8));
        } else {
            // The command's result is what is known: its node stopped before storing the response, or the response
            // held a secret, which is not kept (a replayed seat-token issue answers the token's id, not the token).
            response.setStatus(claim.hasResponse() ? claim.status() : HttpServletResponse.SC_OK);
            response.getOutputStream().write(claim.result().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A claim whose request is still being answered gets a moment to store its response. */
    private IdempotencyKeys.Claim awaitResponse(IdempotencyKeys.Claim found, String key) throws IOException {
        long deadline = System.currentTimeMillis() + WAIT_FOR_FIRST_RESPONSE_MILLIS;
        IdempotencyKeys.Claim claim = found;
        while (!claim.hasResponse() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            claim = keys.find(key).orElseThrow();
        }
        return claim;
    }

    private void problem(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemResponses.problem(code, detail));
    }

    private static String fingerprint(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((request.getMethod() + " " + request.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
