package dev.arbor.query.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.web.PlainText;
import dev.arbor.platform.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;
import java.util.Map;

/**
 * Text a query receives is plain by the rule the command side holds every name to ({@link PlainText}): no control
 * characters (NUL, which PostgreSQL refuses in text, included), no bidirectional formatting. No stored value
 * contains such characters, so a query for one can only be a mistake or an attack; it is refused here, once for
 * every endpoint, before anything reads it. A query parameter (name or value): 400 {@code VALIDATION_FAILED} naming
 * it, or {@code INVALID_FILTER} for the search filter, as for any filter Arbor cannot read. A path variable: 404,
 * as for any id that names nothing.
 */
@Component
class PlainRequestText implements WebMvcConfigurer, HandlerInterceptor {

    /** Parameters whose refusals carry their own code. */
    private static final Map<String, ErrorCode> CODES = Map.of("filter", ErrorCode.INVALID_FILTER);

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**").order(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.getParameterMap().forEach((name, values) -> {
            if (!plain(name) || !List.of(values).stream().allMatch(PlainRequestText::plain)) {
                throw refused(name);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables != null && !variables.values().stream().allMatch(PlainRequestText::plain)) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No resource with that id.");
        }
        return true;
    }

    private static boolean plain(String text) {
        return PlainText.Validator.isPlain(text, false);
    }

    private static ErrorResponseException refused(String parameter) {
        ErrorCode code = CODES.getOrDefault(parameter, ErrorCode.VALIDATION_FAILED);
        ProblemDetail problem = ProblemResponses.problem(code, "The query parameter '" + printable(parameter) + "' "
                + PlainText.MESSAGE + ".");
        problem.setProperty("errors", List.of(Map.of("field", printable(parameter), "message", PlainText.MESSAGE)));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    /** A parameter's name as the answer can show it: what the rule refuses, escaped. */
    private static String printable(String name) {
        StringBuilder shown = new StringBuilder();
        name.codePoints().forEach(c -> shown.append(plain(Character.toString(c)) ? Character.toString(c)
                                                                                  : String.format("\\u%04X", c)));
        return shown.toString();
    }
}
