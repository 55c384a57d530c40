package dev.arbor.system;

import dev.arbor.command.CommandSideApplication;
import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.local.TestDatabase;
import dev.arbor.local.TestTokens;
import dev.arbor.platform.ArborApplication;
import dev.arbor.query.QuerySideApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URI;
import java.util.Optional;

/**
 * Both Arbor apps, each in its own Spring context on a random port, sharing the test JVM's embedded PostgreSQL:
 * the system as it runs in production, minus the process boundary. Started once per test JVM.
 */
final class RunningArbor {

    private static RunningArbor instance;

    final URI commandSide;
    final URI querySide;
    final JdbcClient database;
    final StoreChecks store;
    private final ConfigurableApplicationContext commandContext;
    private final ConfigurableApplicationContext queryContext;

    private RunningArbor(ConfigurableApplicationContext commandContext, ConfigurableApplicationContext queryContext) {
        this.commandSide = baseUri(commandContext);
        this.querySide = baseUri(queryContext);
        this.database = commandContext.getBean(JdbcClient.class);
        this.store = new StoreChecks(database);
        this.commandContext = commandContext;
        this.queryContext = queryContext;
    }

    /** A bean of the command side, for tests of its parts below HTTP. */
    <T> T commandSideBean(Class<T> type) {
        return commandContext.getBean(type);
    }

    /** A bean of the query side, for tests of its parts below HTTP. */
    <T> T querySideBean(Class<T> type) {
        return queryContext.getBean(type);
    }

    /** The running apps if a test has started them, without starting them. */
    static synchronized Optional<RunningArbor> ifStarted() {
        return Optional.ofNullable(instance);
    }

    static synchronized RunningArbor get() {
        if (instance == null) {
            EmbeddedDatabase db = TestDatabase.get();
            // The command side first: its migrations create the event store the query side reads.
            ConfigurableApplicationContext commandContext = start(CommandSideApplication.class,
                                                                  CommandSideApplication.CONFIG_NAME, db);
            ConfigurableApplicationContext queryContext = start(QuerySideApplication.class,
                                                                QuerySideApplication.CONFIG_NAME, db);
            instance = new RunningArbor(commandContext, queryContext);
        }
        return instance;
    }

    private static ConfigurableApplicationContext start(Class<?> app, String configName, EmbeddedDatabase db) {
        return ArborApplication.builder(app, configName)
                               .run("--server.port=0",
                                    // small enough to prove TREE_TOO_LARGE without creating 10,000 accounts
                                    "--arbor.tree-max-nodes=20",
                                    "--spring.datasource.url=" + db.jdbcUrl(),
                                    // arguments of a method in this JVM, not of a process: no one else sees them
                                    "--spring.datasource.username=" + db.user(),
                                    "--spring.datasource.password=" + db.password(),
                                    "--arbor.security.key-file=" + TestTokens.keyFile());
    }

    private static URI baseUri(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://localhost:" + port);
    }
}
