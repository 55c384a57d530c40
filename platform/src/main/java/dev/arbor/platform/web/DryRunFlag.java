package dev.arbor.platform.web;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import jakarta.servlet.http.HttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Whether a request asks to run dry: the {@code Arbor-Dry-Run} header or the {@code dryRun} query parameter. Each
 * value given (every header line and every parameter) must be {@code true} or {@code false}, and all the same; any
 * other spelling, or a contradiction, is refused with 400 {@code INVALID_DRY_RUN} rather than guessed at. The query
 * string is read as sent, never a form body.
 */
public final class DryRunFlag {

    public static final String HEADER = "Arbor-Dry-Run";
    public static final String PARAMETER = "dryRun";

    private DryRunFlag() {
    }

    /** {@code true} when the request asks for a dry run; {@code false} when it does not, or says {@code false}. */
    public static boolean requested(HttpServletRequest request) {
        List<String> values = new ArrayList<>(Collections.list(request.getHeaders(HEADER)));
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                if (PARAMETER.equals(name)) {
                    values.add(equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        if (values.isEmpty()) {
            return false;
        }
        String first = values.get(0).strip();
        for (String value : values) {
            String stripped = value.strip();
            if (!"true".equals(stripped) && !"false".equals(stripped)) {
                throw new RuleViolation(ErrorCode.INVALID_DRY_RUN, HEADER + " and ?" + PARAMETER
                        + "= take true or false; got \"" + abbreviated(stripped) + "\".");
            }
            if (!stripped.equals(first)) {
                throw new RuleViolation(ErrorCode.INVALID_DRY_RUN, HEADER + " and ?" + PARAMETER
                        + "= say both true and false.");
            }
        }
        return "true".equals(first);
    }

    private static String abbreviated(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 20 ? printable.substring(0, 20) + "..." : printable;
    }
}
