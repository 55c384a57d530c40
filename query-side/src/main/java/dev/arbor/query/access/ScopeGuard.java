package dev.arbor.query.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks, before any query runs, that what its path names lies in the caller's reach: the account of
 * {@code /accounts/{id}/...}, the user of {@code /users/{id}}, the device of {@code /devices/{id}}. Lists that span
 * accounts (search, audit) filter by {@link QueryScope#root()} themselves. Runs after read-your-writes waiting, so a
 * just-created account is already there to be found.
 */
@Component
class ScopeGuard implements WebMvcConfigurer, HandlerInterceptor {

    private final QueryScope scope;

    ScopeGuard(QueryScope scope) {
        this.scope = scope;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/**").excludePathPatterns("/api/v1/admin/**")
                .order(Ordered.LOWEST_PRECEDENCE);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        scope.requireActiveCaller();
        String path = request.getRequestURI();
        if (variables == null) {
            return true;
        }
        if (path.startsWith("/api/v1/accounts/")) {
            uuid(variables.getOrDefault("id", variables.get("accountId"))).ifPresent(scope::requireAccount);
        } else if (path.startsWith("/api/v1/users/")) {
            uuid(variables.get("id")).ifPresent(scope::requireUser);
        } else if (path.startsWith("/api/v1/devices/")) {
            uuid(variables.get("id")).ifPresent(scope::requireDevice);
        }
        return true;
    }

    /** An id that is not a UUID is left to the controller, which answers 404 for it like for any unknown id. */
    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.ofNullable(text).map(UUID::fromString);
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }
}
