package dev.arbor.command.account;

import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandDispatcher;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@CommandSideTest
@TestPropertySource(properties = "arbor.snapshot-threshold=3")
class AccountSnapshotTest {

    @Autowired
    private CommandDispatcher commands;
    @Autowired
    private Cache accountCache;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void anAccountLoadedFromItsSnapshotKeepsItsSeats() {
        UUID root = UUID.randomUUID();
        commands.dispatch(new CreateRootAccount(root, "Acme", null, null, 100));
        for (int i = 0; i < 3; i++) {
            commands.dispatch(childOf(root, 10));
        }
        assertThat(latestSnapshotOf(root)).contains("\"seats\":", "\"rootId\":\"" + root + "\"");

        accountCache.removeAll();

        commands.dispatch(childOf(root, 70));
        assertThatThrownBy(() -> commands.dispatch(childOf(root, 1)))
                .isInstanceOfSatisfying(RuleViolation.class,
                                        violation -> assertThat(violation.code()).isEqualTo(ErrorCode.INSUFFICIENT_SEATS));
    }

    private static CreateChildAccount childOf(UUID parent, long seats) {
        return new CreateChildAccount(parent, UUID.randomUUID(), "Child", null, null, seats);
    }

    private String latestSnapshotOf(UUID account) {
        return jdbc.sql("""
                        SELECT convert_from(payload, 'UTF8') FROM event_store.snapshot_event_entry
                         WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1""")
                   .param(account.toString()).query(String.class).single();
    }
}
