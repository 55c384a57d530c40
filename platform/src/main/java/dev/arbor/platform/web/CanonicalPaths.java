package dev.arbor.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every path has one spelling: a request whose path is spelt any other way is refused, 400 {@code NON_CANONICAL_PATH},
 * before security or routing sees it. The container and Spring decode and normalize a path before matching it, so
 * two spellings would otherwise reach the same handler while any check on the text saw two paths (issue 18: a scope
 * check on the raw path was passed by {@code /api/v1/%61ccounts/...}). Refused, on the raw path as sent: a
 * percent-encoded unreserved character ({@code %61} for {@code a}: RFC 3986 says it is the character itself), an
 * empty segment ({@code //}), a dot segment, a matrix parameter ({@code ;}) and a trailing slash. Other escapes
 * ({@code %20}, {@code %E2%80%AE}) are data in an id, which names nothing and answers 404. Paths are case-sensitive,
 * as Spring matches them: {@code /API/v1/Accounts} names no endpoint and answers 404 {@code NOT_FOUND}.
 */
public class CanonicalPaths extends OncePerRequestFilter {

    /** A percent escape of ALPHA, DIGIT, '-', '.', '_' or '~'. */
    private static final Pattern ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})");

    private final ObjectMapper json;

    public CanonicalPaths(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> flaw = flaw(request.getRequestURI());
        if (flaw.isPresent()) {
            response.setStatus(ErrorCode.NON_CANONICAL_PATH.httpStatus());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), ProblemResponses.problem(
                    ErrorCode.NON_CANONICAL_PATH, "The path is not in its one accepted spelling: " + flaw.get() + "."));
            return;
        }
        chain.doFilter(request, response);
    }

    /** What is wrong with the raw {@code path}, empty when nothing is. */
    static Optional<String> flaw(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return Optional.empty();
        }
        if (path.indexOf(';') >= 0) {
            return Optional.of("it has a matrix parameter (';')");
        }
        if (path.contains("//")) {
            return Optional.of("it has an empty segment ('//')");
        }
        if (path.endsWith("/")) {
            return Optional.of("it ends with a slash");
        }
        if (path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
            return Optional.of("it has a dot segment");
        }
        Matcher escape = ESCAPE.matcher(path);
        while (escape.find()) {
            if (unreserved((char) Integer.parseInt(escape.group(1), 16))) {
                return Optional.of("it percent-encodes '" + (char) Integer.parseInt(escape.group(1), 16)
                                   + "', which is written as itself");
            }
        }
        return Optional.empty();
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
               || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
