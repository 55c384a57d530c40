package dev.arbor.system;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands sent to the command side as a client sends them, each expected to be accepted, remembering the position
 * of the last event they appended (for reads that wait until the read model has it).
 */
final class Commands {

    private final URI commandSide;
    private long lastPosition;

    Commands(URI commandSide) {
        this.commandSide = commandSide;
    }

    /** POSTs a creation (201 expected) and answers the new id. */
    String create(String path, String json) {
        Http.Response created = Http.post(commandSide, path, json);
        assertThat(created.status()).as(path).isEqualTo(201);
        lastPosition = created.body().get("position").asLong();
        return created.body().get("id").asText();
    }

    /** Sends a command that changes something (200 expected), with extra headers as name-value pairs. */
    void send(String method, String path, String json, String... headers) {
        Http.Response done = Http.send(commandSide, method, path, json, headers);
        assertThat(done.status()).as(path).isEqualTo(200);
        lastPosition = done.body().get("position").asLong();
    }

    /** The position of the last event the commands sent so far appended. */
    long lastPosition() {
        return lastPosition;
    }

    /** An instant strictly between the events of the commands sent before it and those sent after. */
    static Instant pause() throws InterruptedException {
        Thread.sleep(20);
        Instant now = Instant.now();
        Thread.sleep(20);
        return now;
    }
}
