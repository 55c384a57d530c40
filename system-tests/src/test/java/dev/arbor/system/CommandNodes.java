package dev.arbor.system;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command nodes that are up, which faults take down and bring back, and a client's way of sending a command to
 * them so that it learns the command's outcome even when a node dies under it: the command is sent again to a node
 * that is up. A POST carries an {@code Idempotency-Key}, so a repeat answers as the first attempt did if it
 * committed, and runs it if it did not. Other methods have no key: each attempt has its own {@code X-Request-Id},
 * which becomes the correlation id of its events, and the store says whether a lost attempt committed.
 */
final class CommandNodes {

    /** Faults take down one node at a time and the other stays up, so a few attempts always reach a live one. */
    private static final int MAX_ATTEMPTS = 5;

    /**
     * The answer of a command's last attempt, and whether an earlier attempt, lost with its node, committed: then the
     * answer is that of the command sent a second time.
     */
    record Delivery(Http.Response answer, boolean lostAttemptCommitted) {
    }

    private final List<URI> up = new CopyOnWriteArrayList<>();
    private final StoreChecks store;
    private final AtomicLong lostAttempts = new AtomicLong();
    private final AtomicLong lostAttemptsCommitted = new AtomicLong();

    CommandNodes(StoreChecks store) {
        this.store = store;
    }

    void up(URI node) {
        up.add(node);
    }

    /** Before the node is killed, so that no client picks it meanwhile. */
    void down(URI node) {
        up.remove(node);
    }

    long lostAttempts() {
        return lostAttempts.get();
    }

    /** Lost attempts of commands without an Idempotency-Key (not POST) that committed, learned from the store. */
    long lostAttemptsCommitted() {
        return lostAttemptsCommitted.get();
    }

    /** Sends the command to a node that is up (any: which one is no part of the seeded sequence). */
    Delivery send(String requestId, String method, String path, String json) {
        boolean post = "POST".equals(method);
        List<String> lost = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            List<URI> nodes = List.copyOf(up);
            URI node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
            String attemptId = requestId + "." + attempt;
            String[] headers = post ? new String[] {"X-Request-Id", attemptId, "Idempotency-Key", requestId}
                                    : new String[] {"X-Request-Id", attemptId};
            try {
                Http.Response answer = Http.send(node, method, path, json, headers);
                boolean committed = !post && lost.stream().anyMatch(store::holdsEventsOfRequest);
                if (committed) {
                    lostAttemptsCommitted.incrementAndGet();
                }
                return new Delivery(answer, committed);
            } catch (UncheckedIOException lostWithItsNode) {
                lostAttempts.incrementAndGet();
                lost.add(attemptId);
            }
        }
        throw new IllegalStateException("No command node answered " + method + " " + path + " in " + MAX_ATTEMPTS
                                        + " attempts; up: " + up);
    }
}
