package dev.arbor.query.access;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.security.Caller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.util.UUID;

/**
 * What the caller of a query may see: everything for the platform admin; for an Arbor user, its account's subtree
 * and nothing else. Anything outside answers 404 exactly as if it did not exist. A deactivated user, or one whose
 * account is deleted or effectively suspended, sees nothing (403). Read from the read model.
 */
@Component
public class QueryScope {

    private final JdbcClient jdbc;

    QueryScope(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static final String ROOT = QueryScope.class.getName() + ".root";
    private static final Object EVERYTHING = new Object();

    /**
     * The account whose subtree the current caller sees, or null for the admin (everything). Read once per request
     * and kept with it: every check of the request asks again.
     */
    public UUID root() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object known = request == null ? null : request.getAttribute(ROOT, RequestAttributes.SCOPE_REQUEST);
        if (known == null) {
            known = Caller.current() instanceof Caller.User user ? homeOf(user.userId()) : EVERYTHING;
            if (request != null) {
                request.setAttribute(ROOT, known, RequestAttributes.SCOPE_REQUEST);
            }
        }
        return known instanceof UUID root ? root : null;
    }

    /** 403 for a deactivated user, or one whose account is suspended or deleted. */
    public void requireActiveCaller() {
        root();
    }

    /** 404 unless the account lies in the caller's subtree. */
    public void requireAccount(UUID accountId) {
        require(accountId, "account", "SELECT EXISTS (SELECT 1 FROM account WHERE id = :id AND path @> ARRAY[:scope])");
    }

    /** 404 unless the user's account lies in the caller's subtree. */
    public void requireUser(UUID userId) {
        require(userId, "user", """
                SELECT EXISTS (SELECT 1 FROM app_user u JOIN account a ON a.id = u.account_id
                                WHERE u.id = :id AND a.path @> ARRAY[:scope])""");
    }

    /** 404 unless the device's account lies in the caller's subtree. */
    public void requireDevice(UUID deviceId) {
        require(deviceId, "device", """
                SELECT EXISTS (SELECT 1 FROM device d JOIN account a ON a.id = d.account_id
                                WHERE d.id = :id AND a.path @> ARRAY[:scope])""");
    }

    private void require(UUID id, String kind, String visible) {
        UUID scope = root();
        if (scope != null && !jdbc.sql(visible).param("id", id).param("scope", scope).query(Boolean.class).single()) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No " + kind + " with id " + id + ".");
        }
    }

    private UUID homeOf(UUID userId) {
        Home home = jdbc.sql("""
                        SELECT u.account_id, u.status, a.status AS account_status,
                               a.suspended_by IS NOT NULL AS suspended
                          FROM app_user u JOIN account a ON a.id = u.account_id
                         WHERE u.id = ?""")
                        .param(userId)
                        .query((rs, row) -> new Home(rs.getObject("account_id", UUID.class), rs.getString("status"),
                                                     rs.getString("account_status"), rs.getBoolean("suspended")))
                        .optional()
                        .orElseThrow(() -> new RuleViolation(ErrorCode.PERMISSION_DENIED,
                                                             "User " + userId + " is not known to Arbor."));
        if (home.status().equals("DEACTIVATED")) {
            throw new RuleViolation(ErrorCode.USER_DEACTIVATED, "User " + userId + " is deactivated.");
        }
        if (home.suspended() || home.accountStatus().equals("DELETED")) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED,
                                    "Your account, or an account above it, is suspended or deleted.");
        }
        return home.accountId();
    }

    private record Home(UUID accountId, String status, String accountStatus, boolean suspended) {
    }
}
