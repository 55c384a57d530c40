package dev.arbor.query.access;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.security.Caller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
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
    private final FoldedThrough folded;

    QueryScope(JdbcClient jdbc, FoldedThrough folded) {
        this.jdbc = jdbc;
        this.folded = folded;
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
        Scope scope = Caller.current() instanceof Caller.User user ? userScope(homeOf(user.userId()))
                                                                   : new Scope(null, () -> Long.MAX_VALUE);
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

    /**
     * 404 {@code NOT_FOUND} unless every account a filter names lies in {@code scope}, as the account's own read
     * answers: a filter naming a foreign account (or one that does not exist) must not answer an empty page whose
     * count or time tells whether it exists or how much it holds. One lookup by primary key, through the scope's own
     * SQL; the admin's scope names every account, so nothing is looked up for it.
     */
    public void requireAccountsIn(Scope scope, Collection<UUID> accountIds) {
        Set<UUID> named = Set.copyOf(accountIds);
        if (scope.root() == null || named.isEmpty()) {
            return;
        }
        long inScope = scope.bind(jdbc.sql("SELECT count(*) FROM account s WHERE s.id = ANY (:ids) AND "
                                           + scope.covers("s.path")))
                            .param("ids", named.toArray(UUID[]::new))
                            .query(Long.class).single();
        if (inScope < named.size()) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No account with id "
                    + named.stream().sorted().map(UUID::toString).reduce((one, other) -> one + " or " + other)
                           .orElseThrow() + ".");
        }
    }

    /**
     * 404 {@code NOT_FOUND} unless {@code actor} (a token's subject, as the audit log records it) is a user of an
     * account in {@code scope}, as the user's own read answers; the admin's scope takes any actor. So a user filters
     * the log by the users it may read, never by one elsewhere or by the admin, whose activity across organizations
     * is not its business.
     */
    public void requireUserIn(Scope scope, String actor) {
        if (scope.root() == null) {
            return;
        }
        UUID userId = userIdOrNull(actor);
        boolean inScope = userId != null && scope.bind(jdbc.sql(
                        "SELECT EXISTS (SELECT 1 FROM app_user u JOIN account s ON s.id = u.account_id WHERE u.id = :user AND "
                        + scope.covers("s.path") + ")"))
                                                  .param("user", userId)
                                                  .query(Boolean.class).single();
        if (!inScope) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No user with id " + actor + ".");
        }
    }

    private static UUID userIdOrNull(String actor) {
        try {
            return UUID.fromString(actor);
        } catch (IllegalArgumentException notAUserId) {
            return null;
        }
    }

    private Home homeOf(UUID userId) {
        Home home = home(userId).orElseThrow(() -> new RuleViolation(ErrorCode.PERMISSION_DENIED,
                                                                     "User " + userId + " is not known to Arbor."));
        requireStanding(home);
        return home;
    }

    private Scope userScope(Home home) {
        return new Scope(home.accountId(), () -> folded.positionOf(home.rootId()));
    }

    private Optional<Home> home(UUID userId) {
        return jdbc.sql("""
                        SELECT u.account_id, a.root_id, u.status, a.status AS account_status,
                               a.suspended_by IS NOT NULL AS suspended
                          FROM app_user u JOIN account a ON a.id = u.account_id
                         WHERE u.id = ?""")
                   .param(userId)
                   .query((rs, row) -> new Home(userId, rs.getObject("account_id", UUID.class),
                                                rs.getObject("root_id", UUID.class), rs.getString("status"),
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

    private record Home(UUID userId, UUID accountId, UUID rootId, String status, String accountStatus,
                        boolean suspended) {
    }
}
