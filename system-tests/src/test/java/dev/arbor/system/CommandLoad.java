package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * Threads that create root accounts at a command node, one after another, until stopped, and keep every answer: the
 * steady traffic of a fault test. An account is independent of every other, so the answers depend on the node and
 * its database alone.
 */
final class CommandLoad implements AutoCloseable {

    /** One answer; a request that got no HTTP answer at all has status 0 and the failure as its code. */
    record Outcome(int status, String contentType, String code, String retryAfter, String id, long position) {

        static Outcome of(Http.Response response) {
            JsonNode body = response.body() == null ? NullNode.getInstance() : response.body();
            return new Outcome(response.status(), response.contentType(), body.path("code").asText(null),
                               response.retryAfter(), body.path("id").asText(null), body.path("position").asLong(-1));
        }

        boolean accepted() {
            return status / 100 == 2;
        }
    }

    private static final Duration PAUSE = Duration.ofMillis(10);

    private final URI commandSide;
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Thread> threads;
    private volatile boolean running = true;

    CommandLoad(URI commandSide, int threadCount) {
        this.commandSide = commandSide;
        this.threads = IntStream.range(0, threadCount)
                                .mapToObj(index -> new Thread(this::sendUntilStopped, "command-load-" + index))
                                .toList();
        threads.forEach(Thread::start);
    }

    static String newAccount(String name) {
        return "{\"name\": \"" + name + "\", \"seats\": 1}";
    }

    /** Sends one account creation and answers its outcome (not kept). */
    static Outcome createAccount(URI commandSide, String name) {
        try {
            return Outcome.of(Http.post(commandSide, "/api/v1/accounts", newAccount(name)));
        } catch (RuntimeException noAnswer) {
            return new Outcome(0, null, noAnswer.toString(), null, null, -1);
        }
    }

    void awaitAccepted(int count, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> accepted().size() >= count);
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    List<Outcome> accepted() {
        return outcomes.stream().filter(Outcome::accepted).toList();
    }

    /** How many answers of each kind, e.g. "503 DATABASE_UNAVAILABLE=12". */
    static Map<String, Long> tally(List<Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(
                outcome -> (outcome.status() + " " + Objects.toString(outcome.code(), "")).trim(),
                TreeMap::new, Collectors.counting()));
    }

    void stop() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void sendUntilStopped() {
        while (running) {
            outcomes.add(createAccount(commandSide, "Load " + sent.incrementAndGet()));
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
