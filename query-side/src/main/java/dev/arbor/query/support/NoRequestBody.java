package dev.arbor.query.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * No query-side endpoint reads a request body (a replay's {@code from} is a query parameter), so one that comes is
 * refused, 415 {@code UNSUPPORTED_MEDIA_TYPE}, rather than ignored: an operator's options put in a body would
 * otherwise be dropped without a word, and the replay run from the first event. Bodies over the size limit are
 * refused before this, 413, by the platform.
 */
@Component
class NoRequestBody implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**").order(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            throw new RuleViolation(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "This endpoint takes no request body.");
        }
        return true;
    }
}
