package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #8, point 5: more concurrent commands than a command node takes at once. With room for
 * {@value #MAX_IN_FLIGHT} at a time and no waiting, the node refuses the excess at once with 503 {@code OVERLOADED}
 * and {@code Retry-After}, never a 500, counts the refusals in its metrics, and stays ready; every command it accepted
 * is stored.
 */
@Tag("fault")
class OverloadTest {

    private static final int MAX_IN_FLIGHT = 2;
    private static final int CLIENTS = 48;
    private static final int COMMANDS_PER_CLIENT = 5;

    private static ProcessStack stack;
    private static ArborProcess commandSide;

    @BeforeAll
    static void startACommandNodeWithRoomForTwoCommands() {
        stack = ProcessStack.start("overload", EmbeddedDatabase.Durability.THROWAWAY);
        commandSide = stack.start("command-side", "overload-command",
                                  "--arbor.admission.max-in-flight=" + MAX_IN_FLIGHT,
                                  "--arbor.admission.max-wait=0ms").awaitReady();
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theExcessIsRefusedWith503OverloadedAndTheAcceptedCommandsSucceed() {
        CompletableFuture<List<CommandLoad.Outcome>> burst = CompletableFuture.supplyAsync(OverloadTest::burst);
        List<Integer> readiness = new ArrayList<>();
        while (!burst.isDone()) {
            readiness.add(Http.get(commandSide.uri, "/actuator/health/readiness").status());
            ArborProcess.sleep(Duration.ofMillis(50));
        }
        List<CommandLoad.Outcome> outcomes = burst.join();

        System.out.println("overload: answers " + CommandLoad.tally(outcomes));
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.status()).as(outcome.toString()).isIn(201, 503);
            if (outcome.status() == 503) {
                assertThat(outcome.contentType()).as(outcome.toString()).startsWith("application/problem+json");
                assertThat(outcome.code()).as(outcome.toString()).isEqualTo("OVERLOADED");
                assertThat(outcome.retryAfter()).as(outcome.toString()).isEqualTo("1");
            }
        });
        List<CommandLoad.Outcome> accepted = outcomes.stream().filter(CommandLoad.Outcome::accepted).toList();
        long refused = outcomes.size() - accepted.size();
        assertThat(refused).as("commands refused").isPositive();
        assertThat(accepted).as("commands accepted").hasSizeGreaterThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(readiness).as("readiness during the burst").isNotEmpty().containsOnly(200);

        Long[] positions = accepted.stream().map(CommandLoad.Outcome::position).toArray(Long[]::new);
        assertThat(stack.store.sql.sql("""
                                       SELECT global_index FROM event_store.domain_event_entry
                                        WHERE global_index = ANY(?)""")
                                  .param(positions).query(Long.class).list())
                .as("events of accepted commands").containsExactlyInAnyOrder(positions);
        assertThat(refusedByTheNodesOwnCount()).isEqualTo(refused);
    }

    /** {@value #CLIENTS} clients at once, each sending {@value #COMMANDS_PER_CLIENT} commands one after another. */
    private static List<CommandLoad.Outcome> burst() {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<CommandLoad.Outcome>>> sent = IntStream.range(0, CLIENTS)
                .mapToObj(client -> CompletableFuture.supplyAsync(() -> {
                    awaitStart(start);
                    return IntStream.range(0, COMMANDS_PER_CLIENT)
                                    .mapToObj(command -> CommandLoad.createAccount(commandSide.uri,
                                                                                   "Burst " + client + "-" + command))
                                    .toList();
                }, clients)).toList();
        start.countDown();
        List<CommandLoad.Outcome> outcomes = sent.stream().flatMap(client -> client.join().stream()).toList();
        clients.shutdown();
        return outcomes;
    }

    private static void awaitStart(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long refusedByTheNodesOwnCount() {
        JsonNode metric = Http.get(commandSide.uri, "/actuator/metrics/arbor.admission.refused").body();
        return (long) metric.get("measurements").get(0).get("value").asDouble();
    }
}
