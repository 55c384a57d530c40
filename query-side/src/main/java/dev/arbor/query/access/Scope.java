package dev.arbor.query.access;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.UUID;

/**
 * The subtree a caller's reads are confined to: everything for the platform admin, its account's subtree for an
 * Arbor user. Only {@link QueryScope} makes one, after checking the caller's standing, and every read of the read
 * model and the event store takes one and binds it into its SQL ({@link #bind}, {@link #covers}): a row outside it
 * is not selected at all, so no path spelling, routing detail or forgotten check reaches one. A read that a
 * controller could call without a scope does not exist.
 */
public final class Scope {

    /** The parameter every scoped statement binds, by {@link #bind}. */
    private static final String PARAMETER = "scope";

    private final UUID root;

    /** Package-private: a scope is never made from request input. */
    Scope(UUID root) {
        this.root = root;
    }

    /** The account whose subtree this is; null for the admin's, which is everything. */
    public UUID root() {
        return root;
    }

    /**
     * The SQL condition that the account whose {@code path} column (ancestors and itself, root first) is named lies
     * in this scope. Always the same text, admin or not, so one prepared statement serves every caller.
     */
    public static String covers(String path) {
        return "(CAST(:" + PARAMETER + " AS uuid) IS NULL OR " + path + " @> ARRAY[CAST(:" + PARAMETER + " AS uuid)])";
    }

    /** Binds this scope to a statement whose SQL uses {@link #covers}. */
    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        return statement.param(PARAMETER, root);
    }
}
