package dev.arbor.system;

import dev.arbor.local.EmbeddedDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #8: steady command load for {@code arbor.soak.duration} (ISO-8601, default 30 minutes), both apps' resident
 * memory sampled throughout. Memory must level off: over the last third of the run neither app grows by more than
 * {@value #GROWTH_BOUND_MIB} MiB over its peak of the middle third (the first third is warm-up: JIT, caches, pools).
 * And nothing is lost: every accepted command stored, projected once, the read model equal to a fold of the events.
 * Long: run by ops/faults, not by {@code ./mvnw verify}.
 */
@Tag("fault")
@Tag("long")
class SoakTest {

    private static final Duration DURATION = Duration.parse(System.getProperty("arbor.soak.duration", "PT30M"));
    private static final long GROWTH_BOUND_MIB = 48;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final Duration CATCH_UP = Duration.ofMinutes(15);
    /** Plenty for the whole run: a soak that runs out of seats sends only refusals, which append nothing. */
    private static final long GRANTED_SEATS = 100_000_000;

    /** Both apps' resident memory at one moment, in KiB. */
    record Sample(Instant at, long commandSideKib, long querySideKib) {
    }

    @Test
    void memoryLevelsOffUnderSteadyLoadAndNothingIsLost() {
        try (ProcessStack stack = ProcessStack.start("soak", EmbeddedDatabase.Durability.DURABLE)) {
            ArborProcess commandSide = stack.start("command-side", "soak-command").awaitReady();
            ArborProcess querySide = stack.start("query-side", "soak-query").awaitReady();
            ConcurrentCommands commands = ConcurrentCommands.onNewOrganization(commandSide.uri, commandSide.uri,
                                                                               "Soak", GRANTED_SEATS, 1_000);
            List<Sample> samples = new ArrayList<>();
            Instant start = Instant.now();
            Instant end = start.plus(DURATION);
            while (Instant.now().isBefore(end)) {
                // a few seconds of load between samples: steady, and a count the outcomes list holds easily
                commands.run(List.of(commandSide.uri), 2, 10);
                Instant now = Instant.now();
                if (samples.isEmpty() || now.isAfter(samples.get(samples.size() - 1).at().plus(SAMPLE_EVERY))) {
                    samples.add(new Sample(now, commandSide.residentKib(), querySide.residentKib()));
                }
            }
            System.out.printf("soak: %d commands in %s; resident MiB command side %s, query side %s%n",
                              commands.outcomes().size(), DURATION, thirds(samples, start, Sample::commandSideKib),
                              thirds(samples, start, Sample::querySideKib));

            assertLevelsOff("command side", samples, start, Sample::commandSideKib);
            assertLevelsOff("query side", samples, start, Sample::querySideKib);
            // a 409 is a rule's answer (devices use up the seats they are registered on), never a failure
            assertThat(commands.outcomes()).allSatisfy(outcome -> assertThat(outcome.status()).as(outcome.toString())
                                                                                                .isIn(200, 201, 409));
            stack.store.assertEveryAcceptedCommandsEventIsStored(commands.outcomes());
            // on a busy machine the projection may end the run minutes behind; it must catch up, then be right
            System.out.printf("soak: the query side reached the head of the store %s after the load%n",
                              stack.store.awaitProjectionsAtHead(querySide.uri, CATCH_UP));
            stack.store.awaitReadModelSeats(commands.organization, commands.expectedSeats());
            stack.store.awaitEveryEventInTheAuditLogOnce();
            stack.store.assertReadModelMatchesTheEvents(querySide.uri);
        }
    }

    private static void assertLevelsOff(String app, List<Sample> samples, Instant start,
                                        ToLongFunction<Sample> memory) {
        long middlePeak = peak(samples, start, 1, memory);
        long lastPeak = peak(samples, start, 2, memory);
        assertThat((lastPeak - middlePeak) / 1024).as(app + ": MiB grown in the last third over the middle one")
                                                 .isLessThanOrEqualTo(GROWTH_BOUND_MIB);
    }

    /** The highest sample of one third (0, 1, 2) of the run. */
    private static long peak(List<Sample> samples, Instant start, int third, ToLongFunction<Sample> memory) {
        Duration each = DURATION.dividedBy(3);
        Instant from = start.plus(each.multipliedBy(third));
        Instant to = third == 2 ? Instant.MAX : from.plus(each);
        return samples.stream().filter(sample -> !sample.at().isBefore(from) && sample.at().isBefore(to))
                      .mapToLong(memory).max()
                      .orElseThrow(() -> new IllegalStateException("No memory sample in third " + third));
    }

    private static String thirds(List<Sample> samples, Instant start, ToLongFunction<Sample> memory) {
        return List.of(0, 1, 2).stream().map(third -> Long.toString(peak(samples, start, third, memory) / 1024))
                   .toList().toString();
    }
}
