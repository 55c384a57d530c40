package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/**
 * {@link AccountDirectory} in {@code command_lookup.account_node}. Its event handlers run in a subscribing processor,
 * inside the unit of work of the command that applied the event, so the table changes in the same transaction as
 * the event store and is never behind it.
 */
@Component
@ProcessingGroup(JdbcAccountDirectory.PROCESSING_GROUP)
class JdbcAccountDirectory implements AccountDirectory {

    static final String PROCESSING_GROUP = "account-directory";

    private final JdbcClient jdbc;

    JdbcAccountDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Node> find(UUID accountId) {
        return jdbc.sql("SELECT id, root_id, parent_id FROM command_lookup.account_node WHERE id = ?")
                   .param(accountId)
                   .query((rs, row) -> new Node(rs.getObject("id", UUID.class), rs.getObject("root_id", UUID.class),
                                                rs.getObject("parent_id", UUID.class)))
                   .optional();
    }

    @EventHandler
    void on(AccountCreated event) {
        jdbc.sql("INSERT INTO command_lookup.account_node (id, root_id, parent_id) VALUES (?, ?, ?)")
            .params(event.accountId(), event.rootId(), event.parentId())
            .update();
    }
}
