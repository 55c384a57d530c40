package dev.arbor.query.access;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.security.Caller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.util.Optional;
import java.util.UUID;

/**
 * What the caller of a query may see: everything for the platform admin; for an Arbor user, its account's subtree
 * and nothing else. It hands out the {@link Scope} every read takes; a row outside it is never selected, so it
 * answers 404 exactly as if it did not exist. A deactivated user, or one whose account is deleted or effectively
 * suspended, sees nothing (403). Read from the read model.
 */
@Component
public class QueryScope {

    private final JdbcClient jdbc;

    QueryScope(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static final String SCOPE = QueryScope.class.getName() + ".scope";

    /**
     * The current caller's scope, for the reads of this request: 403 for a deactivated user, or one whose account is
     * suspended or deleted. Read once per request and kept with it.
     */
    public Scope current() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object known = request == null ? null : request.getAttribute(SCOPE, RequestAttributes.SCOPE_REQUEST);
        if (known instanceof Scope scope) {
            return scope;
        }
        Scope scope = new Scope(Caller.current() instanceof Caller.User user ? homeOf(user.userId()) : null);
        if (request != null) {
            request.setAttribute(SCOPE, scope, RequestAttributes.SCOPE_REQUEST);
        }
        return scope;
    }

    /**
     * 403 now for a caller whose standing is known to be bad, before a request waits for the read model to catch up
     * (read your writes): a deactivated user's token must not hold a thread for seconds. A user the read model does
     * not know yet may be the one just created, so it passes here and is checked again, by {@link #current()}, after
     * the wait. Kept apart from the request's scope, which is read after the wait: the awaited write may have moved
     * the user.
     */
    public void requireStandingBeforeWaiting() {
        if (Caller.current() instanceof Caller.User user) {
            home(user.userId()).ifPresent(QueryScope::requireStanding);
        }
    }

    private UUID homeOf(UUID userId) {
        Home home = home(userId).orElseThrow(() -> new RuleViolation(ErrorCode.PERMISSION_DENIED,
                                                                     "User " + userId + " is not known to Arbor."));
        requireStanding(home);
        return home.accountId();
    }

    private Optional<Home> home(UUID userId) {
        return jdbc.sql("""
                        SELECT u.account_id, u.status, a.status AS account_status,
                               a.suspended_by IS NOT NULL AS suspended
                          FROM app_user u JOIN account a ON a.id = u.account_id
                         WHERE u.id = ?""")
                   .param(userId)
                   .query((rs, row) -> new Home(userId, rs.getObject("account_id", UUID.class), rs.getString("status"),
                                                rs.getString("account_status"), rs.getBoolean("suspended")))
                   .optional();
    }

    private static void requireStanding(Home home) {
        if (home.status().equals("DEACTIVATED")) {
            throw new RuleViolation(ErrorCode.USER_DEACTIVATED, "User " + home.userId() + " is deactivated.");
        }
        if (home.suspended() || home.accountStatus().equals("DELETED")) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED,
                                    "Your account, or an account above it, is suspended or deleted.");
        }
    }

    private record Home(UUID userId, UUID accountId, String status, String accountStatus, boolean suspended) {
    }
}
