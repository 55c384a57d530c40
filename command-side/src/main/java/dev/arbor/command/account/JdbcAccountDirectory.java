package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountDetailsUpdated;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.AccountUnsuspended;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link AccountDirectory} in {@code command_lookup.account_node}. Its event handlers run in a subscribing processor,
 * inside the unit of work of the command that applied the event, so the table changes in the same transaction as
 * the event store and is never behind it.
 */
@Component
@ProcessingGroup(JdbcAccountDirectory.PROCESSING_GROUP)
class JdbcAccountDirectory implements AccountDirectory {

    static final String PROCESSING_GROUP = "account-directory";

    private static final String EXTERNAL_ID_UNIQUE = "account_node_external_id_uk";
    private static final String SIBLING_LABEL_UNIQUE = "account_node_sibling_label_uk";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;

    JdbcAccountDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Node> find(UUID accountId) {
        return jdbc.sql("""
                        SELECT n.id, n.root_id, n.parent_id, n.path, n.depth,
                               EXISTS (SELECT 1 FROM command_lookup.account_node a
                                        WHERE a.id = ANY (n.path) AND a.suspended) AS suspended
                          FROM command_lookup.account_node n
                         WHERE n.id = ?""")
                   .param(accountId)
                   .query((rs, row) -> new Node(rs.getObject("id", UUID.class), rs.getObject("root_id", UUID.class),
                                                rs.getObject("parent_id", UUID.class),
                                                List.of((UUID[]) rs.getArray("path").getArray()), rs.getInt("depth"),
                                                rs.getBoolean("suspended")))
                   .optional();
    }

    @Override
    public List<UUID> childrenAbove(UUID accountId, Map<String, Integer> ceiling) {
        return jdbc.sql("""
                        SELECT DISTINCT n.id
                          FROM command_lookup.account_node n
                          JOIN jsonb_each_text(CAST(:ceiling AS jsonb)) AS ceiling (key, value)
                            ON CAST(n.limits ->> ceiling.key AS bigint) > CAST(ceiling.value AS bigint)
                         WHERE n.parent_id = :id AND NOT n.deleted
                         ORDER BY n.id""")
                   .param("ceiling", json(bounds(ceiling)))
                   .param("id", accountId)
                   .query(UUID.class)
                   .list();
    }

    @Override
    public List<UUID> activeUsersOf(UUID accountId) {
        return jdbc.sql("SELECT id FROM command_lookup.app_user WHERE account_id = ? AND active ORDER BY id")
                   .param(accountId)
                   .query(UUID.class)
                   .list();
    }

    @Override
    public int subtreeHeight(UUID accountId) {
        return jdbc.sql("""
                        SELECT COALESCE(MAX(n.depth), a.depth) - a.depth
                          FROM command_lookup.account_node a
                          LEFT JOIN command_lookup.account_node n ON n.path @> ARRAY[a.id]
                         WHERE a.id = ?
                         GROUP BY a.depth""")
                   .param(accountId)
                   .query(Integer.class)
                   .single();
    }

    /**
     * A PostgreSQL advisory lock on the tree, keyed by its root's id, held until the command's transaction ends, on
     * every node; the root found and locked in one statement.
     */
    @Override
    public void lockTreeOf(UUID accountId, boolean exclusive) {
        String lock = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
        jdbc.sql("SELECT " + lock + "(hashtextextended(root_id::text, 0)) FROM command_lookup.account_node WHERE id = ?")
            .param(accountId)
            .query()
            .listOfRows();
    }

    @EventHandler
    void on(AccountCreated event) {
        claiming(event.externalId(), () -> labelTaken(event.label()), () -> jdbc
                .sql("""
                     INSERT INTO command_lookup.account_node (id, root_id, parent_id, external_id, label, limits,
                                                              path, depth)
                     SELECT :id, :rootId, :parentId, :externalId, :label, CAST(:limits AS jsonb),
                            COALESCE((SELECT path FROM command_lookup.account_node WHERE id = :parentId), '{}') || :id,
                            COALESCE((SELECT depth + 1 FROM command_lookup.account_node WHERE id = :parentId), 0)
                     """)
                .param("id", event.accountId())
                .param("rootId", event.rootId())
                .param("parentId", event.parentId())
                .param("externalId", event.externalId())
                .param("label", event.label())
                .param("limits", json(event.limits()))
                .update());
    }

    @EventHandler
    void on(LimitsChanged event) {
        jdbc.sql("UPDATE command_lookup.account_node SET limits = CAST(? AS jsonb) WHERE id = ?")
            .params(json(event.limits()), event.accountId())
            .update();
    }

    /**
     * The moved account and its whole subtree take the new parent's path as their prefix. A label another child of
     * the new parent has refuses the move.
     */
    @EventHandler
    void on(AccountMoved event) {
        jdbc.sql("""
                 UPDATE command_lookup.account_node n
                    SET path = t.path || n.path[array_position(n.path, :id):],
                        depth = cardinality(t.path) + cardinality(n.path) - array_position(n.path, :id)
                   FROM command_lookup.account_node t
                  WHERE t.id = :parentId AND n.path @> ARRAY[CAST(:id AS uuid)]
                 """)
            .param("id", event.accountId())
            .param("parentId", event.toParentId())
            .update();
        claiming(null, () -> "Account " + event.toParentId() + " already has a child with the label of account "
                             + event.accountId() + "; change one of the labels first.",
                 () -> jdbc.sql("UPDATE command_lookup.account_node SET parent_id = ? WHERE id = ?")
                           .params(event.toParentId(), event.accountId())
                           .update());
    }

    @EventHandler
    void on(AccountSuspended event) {
        setFlag(event.accountId(), "suspended", true);
    }

    @EventHandler
    void on(AccountUnsuspended event) {
        setFlag(event.accountId(), "suspended", false);
    }

    @EventHandler
    void on(AccountDeleted event) {
        setFlag(event.accountId(), "deleted", true);
    }

    /**
     * A reactivated account is active: neither deleted nor suspended, as its aggregate says. Its label comes back
     * with it, so a sibling that took the label while it was deleted refuses the reactivation: the account keeps
     * its label and no one's is taken away; clearing or changing the sibling's label first lets it back.
     */
    @EventHandler
    void on(AccountReactivated event) {
        claiming(null, () -> "Another child of account " + event.parentId() + " took the label of account "
                             + event.accountId() + " while it was deleted; change or clear that label first.",
                 () -> jdbc.sql("UPDATE command_lookup.account_node SET deleted = FALSE, suspended = FALSE WHERE id = ?")
                           .param(event.accountId())
                           .update());
    }

    /**
     * The entries of {@code ceiling} that bound anything: one without a key or a value bounds nothing here (the
     * aggregate refuses it as invalid before the children matter), and JSON has no null keys.
     */
    private static Map<String, Integer> bounds(Map<String, Integer> ceiling) {
        Map<String, Integer> bounds = new HashMap<>();
        ceiling.forEach((key, value) -> {
            if (key != null && value != null) {
                bounds.put(key, value);
            }
        });
        return bounds;
    }

    private static String json(Map<String, Integer> limits) {
        try {
            return JSON.writeValueAsString(limits);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("A map of numbers is always JSON", impossible);
        }
    }

    private void setFlag(UUID accountId, String column, boolean value) {
        jdbc.sql("UPDATE command_lookup.account_node SET " + column + " = ? WHERE id = ?")
            .params(value, accountId)
            .update();
    }

    @EventHandler
    void on(AccountDetailsUpdated event) {
        claiming(event.externalId(), () -> labelTaken(event.label()), () -> jdbc
                .sql("UPDATE command_lookup.account_node SET external_id = ?, label = ? WHERE id = ?")
                .params(event.externalId(), event.label(), event.accountId())
                .update());
    }

    private static String labelTaken(String label) {
        return "Another child of the same parent already has the label '" + label + "'.";
    }

    /**
     * Runs a write that may give an account {@code externalId}, or a label among siblings ({@code labelTaken} says
     * how it clashed). The unique constraints decide, in the command's own transaction, so two concurrent commands
     * can never both take the same one.
     */
    private void claiming(String externalId, Supplier<String> labelTaken, Runnable write) {
        try {
            write.run();
        } catch (DuplicateKeyException taken) {
            String violated = String.valueOf(taken.getMostSpecificCause().getMessage());
            if (violated.contains(SIBLING_LABEL_UNIQUE)) {
                throw new RuleViolation(ErrorCode.DUPLICATE_LABEL, labelTaken.get());
            }
            if (violated.contains(EXTERNAL_ID_UNIQUE)) {
                throw new RuleViolation(ErrorCode.DUPLICATE_EXTERNAL_ID,
                                        "Another account already has the external id '" + externalId + "'.");
            }
            throw taken;
        }
    }
}
