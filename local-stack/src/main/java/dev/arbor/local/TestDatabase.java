package dev.arbor.local;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One embedded PostgreSQL per test JVM, started on first use in a fresh temporary directory on a free port, and
 * stopped when the JVM exits. As an {@link ApplicationContextInitializer} it points a Spring test context at it,
 * and at the test JVM's signing key ({@link TestTokens}): {@code @ContextConfiguration(initializers =
 * TestDatabase.class)}.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static EmbeddedDatabase database;

    public static synchronized EmbeddedDatabase get() {
        if (database == null) {
            database = startInTemporaryDirectory();
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "embedded-postgres-stop"));
        }
        return database;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        EmbeddedDatabase db = get();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("arborTestDatabase", Map.of(
                "spring.datasource.url", db.jdbcUrl(),
                "spring.datasource.username", db.user(),
                "spring.datasource.password", db.password(),
                "arbor.security.key-file", TestTokens.keyFile().toString())));
    }

    private static EmbeddedDatabase startInTemporaryDirectory() {
        try {
            Path directory = Files.createTempDirectory("arbor-test-postgres");
            return EmbeddedDatabase.start(directory, 0, EmbeddedDatabase.Durability.THROWAWAY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
