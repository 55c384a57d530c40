package dev.arbor.query.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.account.AccountConfiguration;
import dev.arbor.api.account.AccountStatus;
import dev.arbor.api.account.AccountView;
import dev.arbor.query.access.Scope;
import dev.arbor.query.support.PageCursor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads account views from {@code account}. The parent's free seats are joined in at read time, to the rows of the
 * page only; everything else is on the row. Every read takes the caller's {@link Scope} and selects only the rows
 * in it: an account outside is not found, a parent outside has no free seats to show.
 */
@Repository
public class AccountViews {

    /** The levels of {@code path} with an index for their subtrees (V10__account_descendants_by_level.sql). */
    private static final int INDEXED_LEVELS = 10;
    /** Limits and usage counters: numbers by name. */
    private static final TypeReference<Map<String, Integer>> COUNTERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, UsageRollUp.Total>> ROLLED_UP = new TypeReference<>() {
    };
    private static final TypeReference<AccountConfiguration> CONFIGURATION = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final RowMapper<AccountView> account = this::account;

    AccountViews(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<AccountView> find(Scope scope, UUID id) {
        return scope.bind(jdbc.sql(views(scope, "account a") + " WHERE a.id = :id AND " + scope.covers("a.path")))
                    .param("id", id).query(account).optional();
    }

    /** The live (not deleted) children of an account, in id order, after {@code after} (null for the first page). */
    List<AccountView> children(Scope scope, UUID parentId, UUID after, int offset, int limit) {
        return scope.bind(jdbc.sql(page(scope, """
                             a.parent_id = :parentId AND a.status <> 'DELETED'
                             AND (CAST(:after AS uuid) IS NULL OR a.id > :after)""", "a.id")))
                   .param("parentId", parentId)
                   .param("after", after)
                   .param("offset", offset)
                   .param("limit", limit)
                   .query(account)
                   .list();
    }

    /**
     * The live descendants of an account at most {@code maxDepth} levels below it, breadth-first (by depth, then id),
     * after the position {@code (afterDepth, afterId)} (null for the first page).
     */
    List<AccountView> descendants(Scope scope, AccountView of, int maxDepth, Integer afterDepth, UUID afterId,
                                  int offset, int limit) {
        String condition = subtreeBelow(of.depth()) + " AND a.status <> 'DELETED' AND a.depth <= :deepest"
                + " AND (CAST(:afterId AS uuid) IS NULL OR (a.depth, a.id) > (:afterDepth, :afterId))";
        return scope.bind(jdbc.sql(page(scope, condition, "a.depth, a.id")))
                   .param("id", of.id())
                   .param("deepest", (long) of.depth() + maxDepth)
                   .param("afterDepth", afterDepth)
                   .param("afterId", afterId)
                   .param("offset", offset)
                   .param("limit", limit)
                   .query(account)
                   .list();
    }

    /**
     * The rows strictly below {@code :id}, an account at {@code depth}: in the words of the level index (V10) that
     * returns them in page order, when there is one. The level is written into the SQL, not bound, because the
     * planner matches an index's expression and predicate only against literals.
     */
    private static String subtreeBelow(int depth) {
        int level = depth + 1;
        if (level > INDEXED_LEVELS) {
            return "a.path @> ARRAY[CAST(:id AS uuid)] AND a.id <> :id";
        }
        return "a.path[" + level + "] = :id AND a.depth >= " + level;
    }

    /**
     * Accounts in {@code scope} matching {@code filter} (null for all) in {@code sort} order, after the {@code after}
     * cursor (null for the first page). Deleted accounts only when asked for or named by the filter.
     */
    List<AccountView> search(Scope scope, AccountFilter.Condition filter, boolean includeDeleted, AccountSort sort,
                             PageCursor after, int offset, int limit) {
        StringBuilder where = new StringBuilder("TRUE");
        Map<String, Object> parameters = new HashMap<>();
        if (filter != null) {
            where.append(" AND ").append(filter.sql());
            parameters.putAll(filter.parameters());
        }
        if (!includeDeleted && (filter == null || !filter.namesStatus())) {
            where.append(" AND a.status <> 'DELETED'");
        }
        if (after != null) {
            where.append(" AND ").append(sort.after());
            parameters.put("afterKey", sort.afterKey(after));
            parameters.put("afterId", after.id());
        }
        parameters.put("offset", offset);
        parameters.put("limit", limit);
        return scope.bind(jdbc.sql(page(scope, where.toString(), sort.orderBy())))
                   .params(parameters)
                   .query(account)
                   .list();
    }

    /**
     * The rows of a page, in scope: cut first, then joined to their parents. A search sorts its matches before the
     * cut, and joining all of them would look up a parent for each.
     */
    private static String page(Scope scope, String condition, String order) {
        return views(scope, "(SELECT * FROM account a WHERE " + scope.covers("a.path") + " AND " + condition
                            + " ORDER BY " + order + " OFFSET :offset LIMIT :limit) a") + " ORDER BY " + order;
    }

    /**
     * The views of {@code accounts}, rows of {@code account} named {@code a}, each joined to its parent if the
     * parent is in scope: a user's own account shows no parent's seats.
     */
    private static String views(Scope scope, String accounts) {
        return "SELECT a.*, p.seats_total - p.seats_used AS parent_free_seats FROM " + accounts
               + " LEFT JOIN account p ON p.id = a.parent_id AND " + scope.covers("p.path") + " ";
    }

    /** The accounts above one, root first; only those in {@code scope}. */
    List<AccountView> ancestors(Scope scope, AccountView of) {
        return scope.bind(jdbc.sql(views(scope, "account a") + " WHERE a.id = ANY (:path) AND " + scope.covers("a.path")
                                   + " ORDER BY a.depth"))
                   .param("path", of.path().toArray(UUID[]::new))
                   .query(account)
                   .list();
    }

    private AccountView account(ResultSet rs, int row) throws SQLException {
        long total = rs.getLong("seats_total");
        long used = rs.getLong("seats_used");
        AccountStatus status = AccountStatus.valueOf(rs.getString("status"));
        UUID suspendedBy = rs.getObject("suspended_by", UUID.class);
        Map<String, Integer> limits = read(rs.getString("limits"), COUNTERS);
        Map<String, Integer> usage = read(rs.getString("usage"), COUNTERS);
        return new AccountView(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("external_id"),
                rs.getString("label"),
                rs.getObject("parent_id", UUID.class),
                rs.getObject("root_id", UUID.class),
                rs.getInt("depth"),
                ancestors(rs.getString("path")),
                status,
                effectiveStatus(status, suspendedBy),
                status == AccountStatus.DELETED ? null : suspendedBy,
                new AccountView.Seats(total, used, total - used),
                parentFreeSeats(rs),
                limits,
                usage,
                UsageRollUp.sums(read(rs.getString("subtree_usage"), ROLLED_UP)),
                UsageRollUp.overLimit(usage, limits),
                read(rs.getString("config"), CONFIGURATION),
                rs.getInt("child_count"),
                rs.getInt("descendant_count"),
                rs.getInt("user_count"),
                used,
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("version"));
    }

    /**
     * The path's ids but the last (the account itself), from the array's text, {@code {id,id,...}}: pgjdbc's
     * generic array decoding took a fifteenth of the query side's CPU reading pages of accounts.
     */
    private static List<UUID> ancestors(String path) {
        String[] ids = path.substring(1, path.length() - 1).split(",");
        return Arrays.stream(ids, 0, Math.max(ids.length - 1, 0)).map(UUID::fromString).toList();
    }

    /** Null for a root, and for an account whose parent is out of scope (a user's own account). */
    private static Long parentFreeSeats(ResultSet rs) throws SQLException {
        return (Long) rs.getObject("parent_free_seats");
    }

    private static AccountStatus effectiveStatus(AccountStatus status, UUID suspendedBy) {
        if (status == AccountStatus.DELETED) {
            return AccountStatus.DELETED;
        }
        return suspendedBy == null ? AccountStatus.ACTIVE : AccountStatus.SUSPENDED;
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable JSON in account: " + text, e);
        }
    }
}
