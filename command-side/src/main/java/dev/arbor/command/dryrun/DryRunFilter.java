package dev.arbor.command.dryrun;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.web.DryRunFlag;
import dev.arbor.platform.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;

/**
 * Reads {@code Arbor-Dry-Run} / {@code ?dryRun=} once, before any other filter of the command side: a malformed one
 * answers 400 {@code INVALID_DRY_RUN}; a dry run of a read (GET, HEAD, OPTIONS: nothing to run dry) answers 400
 * {@code DRY_RUN_UNSUPPORTED} rather than being ignored; a dry run of a command is marked on the request
 * ({@link #requested}), where {@code CommandMetadata} and {@code IdempotencyFilter} find it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class DryRunFilter extends OncePerRequestFilter {

    private static final String ATTRIBUTE = DryRunFilter.class.getName();
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final ObjectMapper json;

    DryRunFilter(ObjectMapper json) {
        this.json = json;
    }

    /** Whether this request is a command to run dry (as this filter found). */
    public static boolean requested(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean dryRun;
        try {
            dryRun = DryRunFlag.requested(request);
        } catch (RuleViolation invalid) {
            problem(response, invalid.code(), invalid.getMessage());
            return;
        }
        if (dryRun && READS.contains(request.getMethod())) {
            problem(response, ErrorCode.DRY_RUN_UNSUPPORTED, "A " + request.getMethod()
                    + " changes nothing, so there is nothing to run dry.");
            return;
        }
        request.setAttribute(ATTRIBUTE, dryRun);
        chain.doFilter(request, response);
    }

    private void problem(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemResponses.problem(code, detail));
    }
}
