package dev.arbor.query.access;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The subtree a caller's reads are confined to: everything for the platform admin, its account's subtree for an
 * Arbor user. Only {@link QueryScope} makes one, after checking the caller's standing, and every read of the read
 * model and the event store takes one and writes it into its SQL ({@link #covers}, {@link #bind}): a row outside it
 * is not selected at all, so no path spelling, routing detail or forgotten check reaches one. A read that a
 * controller could call without a scope does not exist.
 */
public final class Scope {

    /** The parameter every scoped statement binds, by {@link #bind}. */
    private static final String PARAMETER = "scope";
    /** The parameter of {@link #coversAccountAt}, bound by {@link #bindAt}. */
    private static final String FOLDED = "folded";

    private final UUID root;
    private final LongSupplier foldedThrough;

    /**
     * Package-private: a scope is never made from request input. {@code foldedThrough} answers how far the read
     * model holds the caller's organization ({@link FoldedThrough}), asked only by the reads that need it.
     */
    Scope(UUID root, LongSupplier foldedThrough) {
        this.root = root;
        this.foldedThrough = foldedThrough;
    }

    /** The account whose subtree this is; null for the admin's, which is everything. */
    public UUID root() {
        return root;
    }

    /**
     * The SQL condition that the account whose {@code path} column (ancestors and itself, root first) is named lies
     * in this scope: {@code TRUE} for the admin's. Two texts rather than one with {@code :scope IS NULL OR ...},
     * which a generic plan could not answer from the GIN index on {@code path}.
     */
    public String covers(String path) {
        return root == null ? "TRUE" : path + " @> ARRAY[CAST(:" + PARAMETER + " AS uuid)]";
    }

    /**
     * The SQL condition that an event of the account {@code accountId} at {@code position} (a global index) is in
     * this scope: the account lies in it now, and it lay in it at that position, by the path it had then (the
     * former path that ended after that position, else its path now). So a caller sees the events of an account
     * moved into its subtree from the move on, and none from when the account was elsewhere in its organization,
     * out of the caller's sight. And only events the read model has folded ({@link FoldedThrough}): beyond them, a move
     * it does not show yet may have taken the account out of the caller's subtree. {@code TRUE} for the admin's,
     * which is everything at every moment, and also takes what names no account (seat tokens) or one the read model
     * has yet to hold. The statement is bound by {@link #bindAt}.
     */
    public String coversAccountAt(String accountId, String position) {
        return root == null ? "TRUE" : position + " <= :" + FOLDED
                                       + " AND EXISTS (SELECT 1 FROM account s WHERE s.id = " + accountId + " AND "
                                       + covers("s.path") + " AND " + covers(
                "COALESCE((SELECT f.path FROM account_former_path f WHERE f.id = s.id AND f.until_position > "
                + position + " ORDER BY f.until_position LIMIT 1), s.path)") + ")";
    }

    /** Binds this scope to a statement whose SQL uses {@link #covers}. */
    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        return statement.param(PARAMETER, root);
    }

    /** Binds this scope to a statement whose SQL uses {@link #coversAccountAt} (and {@link #covers}). */
    public JdbcClient.StatementSpec bindAt(JdbcClient.StatementSpec statement) {
        return root == null ? bind(statement) : bind(statement).param(FOLDED, foldedThrough.getAsLong());
    }
}
