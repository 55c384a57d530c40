package dev.arbor.command.account;

import dev.arbor.api.account.ChangeLimits;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.UpdateConfiguration;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.platform.security.Caller;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V10 added {@code account_node.limits} and filled it for the accounts already there from the store: each account's
 * latest {@code LimitsChanged}, else its {@code AccountCreated}. This runs that fill again over rows emptied.
 */
@CommandSideTest
class AccountLimitsBackfillTest {

    private static final String MIGRATION = "db/migration/command-side/V10__account_limits.sql";

    @Autowired
    private CommandDispatcher commands;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void fillsEachAccountsLatestLimitsFromTheStore() throws IOException {
        UUID root = UUID.randomUUID();
        UUID changed = UUID.randomUUID();
        UUID createdWithDefaults = UUID.randomUUID();
        dispatch(new CreateRootAccount(root, "Acme", null, null, 0));
        dispatch(new CreateChildAccount(root, changed, "Changed", null, null, 0));
        dispatch(new ChangeLimits(changed, Map.of("maxVMs", 9)));
        dispatch(new ChangeLimits(changed, Map.of("maxVMs", 8, "maxIPs", 2)));
        dispatch(new UpdateConfiguration(root, null, null, Map.of("maxVMs", 3)));
        dispatch(new CreateChildAccount(root, createdWithDefaults, "Defaults", null, null, 0));
        jdbc.sql("UPDATE command_lookup.account_node SET limits = '{}' WHERE root_id = ?").param(root).update();

        jdbc.sql(backfill()).update();

        assertThat(limitsOf(root)).isEqualTo("{}");
        assertThat(limitsOf(changed)).isEqualTo("{\"maxIPs\": 2, \"maxVMs\": 8}");
        assertThat(limitsOf(createdWithDefaults)).isEqualTo("{\"maxVMs\": 3}");
    }

    /** The migration's UPDATE, without the ALTER TABLE before it. */
    private static String backfill() throws IOException {
        String migration = new ClassPathResource(MIGRATION).getContentAsString(StandardCharsets.UTF_8);
        return migration.substring(migration.indexOf("UPDATE"));
    }

    private String limitsOf(UUID account) {
        return jdbc.sql("SELECT CAST(limits AS text) FROM command_lookup.account_node WHERE id = ?")
                   .param(account).query(String.class).single();
    }

    /** As the platform admin: outside a request no command goes without a named caller. */
    private void dispatch(Object command) {
        commands.dispatch(command, new Caller.Admin("admin"));
    }
}
