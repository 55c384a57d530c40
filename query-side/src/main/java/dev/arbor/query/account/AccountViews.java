package dev.arbor.query.account;

import dev.arbor.api.account.AccountStatus;
import dev.arbor.api.account.AccountView;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads account views from {@code read_model.account}. */
@Repository
class AccountViews {

    private static final RowMapper<AccountView> ACCOUNT = (rs, row) -> {
        long total = rs.getLong("seats_total");
        long used = rs.getLong("seats_used");
        return new AccountView(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("external_id"),
                rs.getObject("parent_id", UUID.class),
                rs.getObject("root_id", UUID.class),
                rs.getInt("depth"),
                AccountStatus.valueOf(rs.getString("status")),
                new AccountView.Seats(total, used, total - used),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("version"));
    };

    private final JdbcClient jdbc;

    AccountViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<AccountView> find(UUID id) {
        return jdbc.sql("SELECT * FROM read_model.account WHERE id = ?").param(id).query(ACCOUNT).optional();
    }

    /** The live (not deleted) children of an account, in id order, after {@code after} (null for the first page). */
    List<AccountView> children(UUID parentId, UUID after, int offset, int limit) {
        return jdbc.sql("""
                        SELECT * FROM read_model.account
                         WHERE parent_id = :parentId AND status <> 'DELETED'
                           AND (CAST(:after AS uuid) IS NULL OR id > :after)
                         ORDER BY id OFFSET :offset LIMIT :limit""")
                   .param("parentId", parentId)
                   .param("after", after)
                   .param("offset", offset)
                   .param("limit", limit)
                   .query(ACCOUNT)
                   .list();
    }

    /**
     * The live descendants of an account at most {@code maxDepth} levels below it, breadth-first (by depth, then id),
     * after the position {@code (afterDepth, afterId)} (null for the first page).
     */
    List<AccountView> descendants(AccountView of, int maxDepth, Integer afterDepth, UUID afterId, int offset,
                                  int limit) {
        return jdbc.sql("""
                        SELECT * FROM read_model.account
                         WHERE path @> ARRAY[CAST(:id AS uuid)] AND id <> :id AND status <> 'DELETED'
                           AND depth <= :deepest
                           AND (CAST(:afterId AS uuid) IS NULL OR (depth, id) > (:afterDepth, :afterId))
                         ORDER BY depth, id OFFSET :offset LIMIT :limit""")
                   .param("id", of.id())
                   .param("deepest", (long) of.depth() + maxDepth)
                   .param("afterDepth", afterDepth)
                   .param("afterId", afterId)
                   .param("offset", offset)
                   .param("limit", limit)
                   .query(ACCOUNT)
                   .list();
    }

    /** The accounts above one, root first. */
    List<AccountView> ancestors(UUID id) {
        return jdbc.sql("""
                        SELECT a.* FROM read_model.account a JOIN read_model.account t ON a.id = ANY (t.path)
                         WHERE t.id = ? AND a.id <> t.id
                         ORDER BY a.depth""")
                   .param(id)
                   .query(ACCOUNT)
                   .list();
    }
}
