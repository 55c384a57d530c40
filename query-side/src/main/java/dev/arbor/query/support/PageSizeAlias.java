package dev.arbor.query.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pageSize} is another name for {@code limit} on every list (the name some of the reference APIs use), so a
 * client written against them pages without change. The request is read as if it had said {@code limit}, so the
 * default (50) and the bounds (1-1000) are those of {@code limit}, in one place rather than on every list endpoint.
 * Both names with different values is refused, 400 {@code VALIDATION_FAILED}: which one was meant is not known.
 */
@Component
class PageSizeAlias extends OncePerRequestFilter implements WebMvcConfigurer, HandlerInterceptor {

    static final String ALIAS = "pageSize";
    static final String LIMIT = "limit";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] alias = request.getParameterValues(ALIAS);
        chain.doFilter(alias == null || request.getParameterValues(LIMIT) != null ? request
                                                                                  : new WithLimit(request, alias),
                       response);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    /** Runs in the handler chain, so the refusal is answered as problem+json like every other. */
    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String[] alias = request.getParameterValues(ALIAS);
        if (alias != null && !Arrays.equals(alias, request.getParameterValues(LIMIT))) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                    "'pageSize' is another name for 'limit'; give one of them, or both the same.");
        }
        return true;
    }

    /** Every operation with a {@code limit} documents its alias. */
    @Bean
    static OperationCustomizer pageSizeDocumented() {
        return (operation, handler) -> {
            if (operation.getParameters() != null && operation.getParameters().stream()
                    .anyMatch(parameter -> LIMIT.equals(parameter.getName()) && "query".equals(parameter.getIn()))) {
                operation.addParametersItem(new Parameter().in("query").name(ALIAS).required(false)
                        .description("Another name for limit.")
                        .schema(new IntegerSchema().minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(1000))));
            }
            return operation;
        };
    }

    /** The request with {@code limit} set to the values of {@code pageSize}. */
    private static final class WithLimit extends HttpServletRequestWrapper {

        private final Map<String, String[]> parameters;

        WithLimit(HttpServletRequest request, String[] limit) {
            super(request);
            Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
            parameters.put(LIMIT, limit);
            this.parameters = Collections.unmodifiableMap(parameters);
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }
    }
}
