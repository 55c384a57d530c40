package dev.arbor.system;

import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.local.TestTokens;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Arbor's apps as real processes ({@link ArborProcess}) on an embedded PostgreSQL of their own, not the test JVM's
 * shared one (whose in-process query side would be one more node), all signing with the test key. Closing it kills
 * every process it started and stops the database.
 */
final class ProcessStack implements AutoCloseable {

    /**
     * For several query nodes: short intervals so that segments move within seconds; Axon's claim timeout stays at its
     * 10 s default.
     */
    static final List<String> QUERY_NODE_SETTINGS = List.of("--arbor.token-claim-interval-ms=500",
                                                            "--arbor.segment-balancing.interval=500ms",
                                                            "--arbor.segment-balancing.node-timeout=3s");
    /** As docs/operations.md says to run several command nodes without a routing command bus. */
    static final String COMMAND_NODE_SETTINGS = "--arbor.aggregate-cache=false";

    final EmbeddedDatabase database;
    final StoreChecks store;
    private final Path dataDirectory;
    private final List<ArborProcess> processes = new CopyOnWriteArrayList<>();

    private ProcessStack(EmbeddedDatabase database, Path dataDirectory) {
        this.database = database;
        this.dataDirectory = dataDirectory;
        this.store = new StoreChecks(database);
    }

    /**
     * A new, empty database; {@link EmbeddedDatabase.Durability#DURABLE} for scenarios whose point is what a commit
     * leaves behind a crash.
     */
    static ProcessStack start(String name, EmbeddedDatabase.Durability durability) {
        try {
            Path dataDirectory = Files.createTempDirectory("arbor-" + name + "-postgres");
            return new ProcessStack(EmbeddedDatabase.start(dataDirectory, 0, durability), dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code module} as {@code name} (also its log's name); answers at once, see {@link ArborProcess}. */
    ArborProcess start(String module, String name, String... arguments) {
        ArborProcess process = ArborProcess.start(module, name, database, TestTokens.keyFile().getParent(),
                                                  arguments);
        processes.add(process);
        return process;
    }

    CompletableFuture<ArborProcess> startAsync(String module, String name, String... arguments) {
        ArborProcess process = start(module, name, arguments);
        return CompletableFuture.supplyAsync(process::awaitReady);
    }

    @Override
    public void close() {
        processes.forEach(ArborProcess::kill);
        database.close();
        // a durable server keeps its files for a restart; these tests have none after closing
        FileSystemUtils.deleteRecursively(dataDirectory.toFile());
    }
}
