package dev.arbor.command.account;

import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.platform.security.Caller;
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
        dispatch(new CreateRootAccount(root, "Acme", null, null, 100));
        for (int i = 0; i < 3; i++) {
            dispatch(childOf(root, 10));
        }
        assertThat(latestSnapshotOf(root)).contains("\"seats\":", "\"rootId\":\"" + root + "\"");

        accountCache.removeAll();

        dispatch(childOf(root, 70));
        assertThatThrownBy(() -> dispatch(childOf(root, 1)))
                .isInstanceOfSatisfying(RuleViolation.class,
                                        violation -> assertThat(violation.code()).isEqualTo(ErrorCode.INSUFFICIENT_SEATS));
    }

    /**
     * Revision 1 snapshots held the ids of children, users and devices, where revision 2 holds counts. Read
     * leniently, one would leave the counts at zero; so it is passed over, and the account loads from its events.
     */
    @Test
    void aSnapshotOfTheFormerRevisionIsPassedOverForTheEvents() {
        UUID root = UUID.randomUUID();
        dispatch(new CreateRootAccount(root, "Acme", null, null, 100));
        for (int i = 0; i < 3; i++) {
            dispatch(childOf(root, 10));
        }
        assertThat(latestSnapshotRevisionOf(root)).isEqualTo("2");
        jdbc.sql("""
                 UPDATE event_store.snapshot_event_entry
                    SET payload_revision = NULL,
                        payload = convert_to(CAST(CAST(convert_from(payload, 'UTF8') AS jsonb)
                                                  - 'childCount' - 'activeUserCount' - 'deviceCount'
                                                  || '{"seats": 1000, "children": {}, "activeUsers": [],
                                                       "devices": []}' AS text), 'UTF8')
                  WHERE aggregate_identifier = ?""")
            .param(root.toString()).update();
        assertThat(latestSnapshotOf(root)).contains("\"children\"", "\"seats\": 1000");

        accountCache.removeAll();

        assertThatThrownBy(() -> dispatch(childOf(root, 71)))
                .isInstanceOfSatisfying(RuleViolation.class,
                                        violation -> assertThat(violation.code()).isEqualTo(ErrorCode.INSUFFICIENT_SEATS));
        dispatch(childOf(root, 70));
        assertThat(latestSnapshotRevisionOf(root)).isEqualTo("2");
    }

    private String latestSnapshotRevisionOf(UUID account) {
        return jdbc.sql("""
                        SELECT payload_revision FROM event_store.snapshot_event_entry
                         WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1""")
                   .param(account.toString()).query(String.class).single();
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

    /** As the platform admin: outside a request no command goes without a named caller. */
    private void dispatch(Object command) {
        commands.dispatch(command, new Caller.Admin("admin"));
    }
}
