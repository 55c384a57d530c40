package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random seat commands from several threads at several command nodes, all on one organization and its first child:
 * seat transfers both ways, child creations under either, device registrations on either. Every answer is kept, and
 * every successful one is booked: {@link #expectedSeats} is what the accepted commands imply for each account, in
 * whatever order the nodes applied them (the effects add up).
 */
final class ConcurrentCommands {

    /**
     * One command's answer: its HTTP status, content type, problem code (errors) and position (successes). A command
     * whose node went away before it answered has status {@value #NO_ANSWER}: it may or may not have been applied.
     */
    record Outcome(String command, int status, String contentType, String code, long position) {

        static final int NO_ANSWER = 0;

        boolean succeeded() {
            return status / 100 == 2;
        }
    }

    /** An account's seats: how many it holds, and how many its devices use. */
    record Seats(long total, long used) {

        Seats plus(Seats other) {
            return new Seats(total + other.total, used + other.used);
        }
    }

    final String organization;
    final String child;
    private final Map<String, Seats> expectedSeats = new ConcurrentHashMap<>();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

    private ConcurrentCommands(String organization, long organizationSeats, String child, long childSeats) {
        this.organization = organization;
        this.child = child;
        book(organization, organizationSeats, 0);
        book(child, childSeats, 0);
    }

    /**
     * Creates an organization named {@code name} holding {@code grantedSeats} on one node, and its child with
     * {@code childSeats} of them on another (or the same), for commands on both.
     */
    static ConcurrentCommands onNewOrganization(URI organizationNode, URI childNode, String name, long grantedSeats,
                                                long childSeats) {
        Http.Response root = Http.post(organizationNode, "/api/v1/accounts",
                                       "{\"name\": \"" + name + " Corp\", \"seats\": " + grantedSeats + "}");
        assertThat(root.status()).as("organization created").isEqualTo(201);
        String organization = root.body().get("id").asText();
        Http.Response child = Http.post(childNode, "/api/v1/accounts/" + organization + "/children",
                                        "{\"name\": \"" + name + " EU\", \"seats\": " + childSeats + "}");
        assertThat(child.status()).as("child created").isEqualTo(201);
        return new ConcurrentCommands(organization, grantedSeats - childSeats, child.body().get("id").asText(),
                                      childSeats);
    }

    /**
     * Runs {@code threadsPerNode} threads against each node, each sending {@code commandsPerThread} commands, and
     * waits for them. A count rather than a duration: a slow machine takes longer, but is tested as much.
     */
    void run(List<URI> commandNodes, int threadsPerNode, int commandsPerThread) {
        ExecutorService threads = Executors.newFixedThreadPool(commandNodes.size() * threadsPerNode);
        List<Future<?>> running = new ArrayList<>();
        for (URI node : commandNodes) {
            for (int thread = 0; thread < threadsPerNode; thread++) {
                running.add(threads.submit(() -> send(node, commandsPerThread)));
            }
        }
        threads.shutdown();
        running.forEach(ConcurrentCommands::awaitWithoutFailure);
    }

    Map<String, Seats> expectedSeats() {
        return Map.copyOf(expectedSeats);
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    private void send(URI node, int commands) {
        for (int command = 0; command < commands; command++) {
            oneRandomCommand(node, ThreadLocalRandom.current());
        }
    }

    private void oneRandomCommand(URI node, ThreadLocalRandom random) {
        String either = random.nextBoolean() ? organization : child;
        switch (random.nextInt(4)) {
            case 0 -> transferSeats(node, organization, child, 1 + random.nextInt(8));
            case 1 -> transferSeats(node, child, organization, 1 + random.nextInt(8));
            case 2 -> createChild(node, either, 1 + random.nextInt(3));
            default -> registerDevice(node, either);
        }
    }

    /** Moves seats between the organization and its child (either way), and answers the outcome. */
    Outcome transferSeats(URI node, String from, String to, int seats) {
        Http.Response answer = post(node, "/api/v1/accounts/" + from + "/seat-transfers",
                                    "{\"to\": \"" + to + "\", \"seats\": " + seats + "}");
        Outcome outcome = keep("seat-transfer", answer);
        if (outcome.succeeded()) {
            book(from, -seats, 0);
            book(to, seats, 0);
        }
        return outcome;
    }

    private void createChild(URI node, String parent, int seats) {
        Http.Response answer = post(node, "/api/v1/accounts/" + parent + "/children",
                                    "{\"name\": \"Child " + UUID.randomUUID() + "\", \"seats\": " + seats + "}");
        if (keep("create-child", answer).succeeded()) {
            book(parent, -seats, 0);
            book(answer.body().get("id").asText(), seats, 0);
        }
    }

    private void registerDevice(URI node, String account) {
        Http.Response answer = post(node, "/api/v1/accounts/" + account + "/devices",
                                    "{\"serial\": \"SN-" + UUID.randomUUID() + "\", \"name\": \"Sensor\"}");
        if (keep("register-device", answer).succeeded()) {
            book(account, 0, 1);
        }
    }

    /** The node's answer, or none when the connection failed (the node was killed, or is not up yet). */
    private static Http.Response post(URI node, String path, String json) {
        try {
            return Http.post(node, path, json);
        } catch (UncheckedIOException noAnswer) {
            return new Http.Response(Outcome.NO_ANSWER, null, null, false, null, null);
        }
    }

    /** Keeps the answer, and answers it as an outcome. */
    private Outcome keep(String command, Http.Response answer) {
        JsonNode body = answer.body() == null ? NullNode.getInstance() : answer.body();
        Outcome outcome = new Outcome(command, answer.status(), answer.contentType(),
                                      body.path("code").asText(null), body.path("position").asLong(-1));
        outcomes.add(outcome);
        return outcome;
    }

    /** A thread that failed (an exception rather than an answer) fails the run. */
    private static void awaitWithoutFailure(Future<?> thread) {
        try {
            thread.get();
        } catch (ExecutionException failed) {
            throw new IllegalStateException("A command thread failed", failed.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void book(String account, long total, long used) {
        expectedSeats.merge(account, new Seats(total, used), Seats::plus);
    }
}
