package dev.arbor.system;

import dev.arbor.local.EmbeddedDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue #8, point 6: the documented backup (docs/operations.md), a pg_dump of the schemas the command side owns,
 * {@code event_store} and {@code command_lookup}, taken while Arbor runs, restored with pg_restore into a new, empty
 * PostgreSQL server. Both apps start on it with nothing else done: the read model is rebuilt from the events, equal
 * to a fold of them, the accounts read as before, and commands go on from where the store stopped.
 */
@Tag("fault")
class BackupRestoreTest {

    private static final long GRANTED_SEATS = 500;

    @Test
    void aDumpOfTheEventStoreRestoredIntoAnEmptyServerBringsArborBack() throws IOException {
        Path backup = Files.createTempDirectory("arbor-backup").resolve("arbor.dump");
        ConcurrentCommands commands;
        try (ProcessStack original = ProcessStack.start("backup-source", EmbeddedDatabase.Durability.THROWAWAY)) {
            PostgresClientTools tools = clientToolsFor(original);
            ArborProcess commandSide = original.start("command-side", "backup-command").awaitReady();
            commands = ConcurrentCommands.onNewOrganization(commandSide.uri, commandSide.uri, "Backup",
                                                            GRANTED_SEATS, 50);
            commands.run(List.of(commandSide.uri), 2, 20);
            run(original, tools.program("pg_dump"), "--format=custom", "--schema=event_store",
                "--schema=command_lookup", "--file=" + backup, libpqUrl(original));
        }

        try (ProcessStack restored = ProcessStack.start("backup-target", EmbeddedDatabase.Durability.THROWAWAY)) {
            run(restored, clientToolsFor(restored).program("pg_restore"), "--no-owner", "--exit-on-error",
                "--dbname=" + libpqUrl(restored), backup.toString());
            ArborProcess commandSide = restored.start("command-side", "restored-command").awaitReady();
            ArborProcess querySide = restored.start("query-side", "restored-query").awaitReady();

            restored.store.assertEveryAcceptedCommandsEventIsStored(commands.outcomes());
            restored.store.awaitReadModelSeats(commands.organization, commands.expectedSeats());
            restored.store.awaitEveryEventInTheAuditLogOnce();
            restored.store.assertReadModelMatchesTheEvents(querySide.uri);
            assertThat(Http.get(querySide.uri, "/api/v1/accounts/" + commands.organization).status()).isEqualTo(200);
            // the global index and the lookups came back too: a new event follows the restored ones
            ConcurrentCommands.Outcome transfer = commands.transferSeats(commandSide.uri, commands.organization,
                                                                         commands.child, 1);
            assertThat(transfer.status()).as(transfer.toString()).isEqualTo(200);
            assertThat(transfer.position()).isEqualTo(restored.store.count("event_store.domain_event_entry"));
        }
    }

    private static PostgresClientTools clientToolsFor(ProcessStack stack) {
        int serverMajor = stack.store.sql.sql("SELECT current_setting('server_version_num')::int / 10000")
                                         .query(Integer.class).single();
        Optional<PostgresClientTools> tools = PostgresClientTools.atLeast(serverMajor);
        assumeTrue(tools.isPresent(), "pg_dump and pg_restore " + serverMajor + " or later are needed (the embedded "
                + "server has none, and an older pg_dump refuses a newer server): install PostgreSQL " + serverMajor
                + "'s client programs, or name their directory in ARBOR_PG_BIN");
        return tools.get();
    }

    /** Without the password, which {@link #run} passes in the environment: a command line is visible to all. */
    private static String libpqUrl(ProcessStack stack) {
        return "postgresql://" + stack.database.user() + "@127.0.0.1:" + stack.database.port() + "/"
                + EmbeddedDatabase.DATABASE;
    }

    private static void run(ProcessStack stack, Path program, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile("arbor-" + program.getFileName(), ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PGPASSWORD", stack.database.password());
        Process process = builder.start();
        try {
            assertThat(process.waitFor()).as(String.join(" ", command) + ": " + Files.readString(log)).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
