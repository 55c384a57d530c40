package dev.arbor.system;

import dev.arbor.local.EmbeddedDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #8, point 2: the command side killed with SIGKILL while four clients send seat commands. Every command it
 * acknowledged is in the event store and projected, no seat move is half applied, and a new process on the same
 * database serves at once.
 */
@Tag("fault")
class CommandSideCrashTest {

    private static final long GRANTED_SEATS = 1_000;
    private static final long CHILD_SEATS = 100;
    /** Enough acknowledged commands before the kill that it lands in the middle of the load. */
    private static final int ACCEPTED_BEFORE_KILL = 40;

    @Test
    void everyAcknowledgedCommandOutlivesTheKillAndTheRestartedSideServes() {
        try (ProcessStack stack = ProcessStack.start("command-crash", EmbeddedDatabase.Durability.DURABLE)) {
            ArborProcess commandSide = stack.start("command-side", "command-crash-1").awaitReady();
            ArborProcess querySide = stack.start("query-side", "command-crash-query").awaitReady();
            ConcurrentCommands commands = ConcurrentCommands.onNewOrganization(commandSide.uri, commandSide.uri,
                                                                               "Crash", GRANTED_SEATS, CHILD_SEATS);

            CompletableFuture<Void> load = CompletableFuture.runAsync(
                    () -> commands.run(List.of(commandSide.uri), 4, 100));
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(commands) >= ACCEPTED_BEFORE_KILL);
            commandSide.kill();
            load.join();

            List<ConcurrentCommands.Outcome> outcomes = commands.outcomes();
            assertThat(outcomes).as("commands the kill left unanswered: it came mid-load")
                                .anyMatch(outcome -> outcome.status() == ConcurrentCommands.Outcome.NO_ANSWER);
            System.out.printf("command-crash: %d commands acknowledged before the kill%n", accepted(commands));
            stack.store.assertEveryAcceptedCommandsEventIsStored(outcomes);

            ArborProcess restarted = stack.start("command-side", "command-crash-2").awaitReady();
            ConcurrentCommands.Outcome transfer = commands.transferSeats(restarted.uri, commands.organization,
                                                                         commands.child, 1);
            assertThat(transfer.status()).as("a command after the restart: " + transfer).isEqualTo(200);

            stack.store.awaitEveryEventInTheAuditLogOnce();
            stack.store.awaitSeatsConserved(commands.organization, GRANTED_SEATS);
            stack.store.assertReadModelMatchesTheEvents(querySide.uri);
        }
    }

    private static long accepted(ConcurrentCommands commands) {
        return commands.outcomes().stream().filter(ConcurrentCommands.Outcome::succeeded).count();
    }
}
