package dev.arbor.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;

/**
 * Reads {@code Arbor-Dry-Run} / {@code ?dryRun=} once, before any other filter but the path and size checks: a
 * malformed one answers 400 {@code INVALID_DRY_RUN}; a dry run the app cannot honour answers 400
 * {@code DRY_RUN_UNSUPPORTED} rather than being ignored (a read: nothing to run dry; anything on an app that runs no
 * commands, the query side, whose replays and retries are no commands); a dry run of a command is marked on the
 * request ({@link #requested}), where the command side's metadata and idempotency filter find it.
 */
public class DryRunFilter extends OncePerRequestFilter {

    private static final String ATTRIBUTE = DryRunFilter.class.getName();
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final ObjectMapper json;
    private final boolean runsCommands;

    DryRunFilter(ObjectMapper json, boolean runsCommands) {
        this.json = json;
        this.runsCommands = runsCommands;
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
        if (dryRun && !runsCommands) {
            problem(response, ErrorCode.DRY_RUN_UNSUPPORTED, "This app runs no commands; a dry run is for the"
                    + " command side's commands.");
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
