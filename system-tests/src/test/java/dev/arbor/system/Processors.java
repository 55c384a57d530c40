package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The query side's event processors through its admin API: their status, replays, waiting until caught up. */
final class Processors {

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private Processors() {
    }

    static JsonNode status(URI querySide, String processor) {
        Http.Response status = Http.get(querySide, "/api/v1/admin/processors/" + processor);
        assertThat(status.status()).isEqualTo(200);
        return status.body();
    }

    /** Replays the processor from {@code from} (the first event when null) and waits until it has caught up. */
    static void replay(URI querySide, String processor, Instant from) {
        Http.Response replay = Http.post(querySide, "/api/v1/admin/processors/" + processor + "/replay"
                                                    + (from == null ? "" : "?from=" + from), null);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.body().get("replaying").asBoolean()).isTrue();
        awaitCaughtUp(querySide, processor);
    }

    /** Waits until every segment of the processor runs, replays nothing, and has processed the head of the store. */
    static void awaitCaughtUp(URI querySide, String processor) {
        await().atMost(CATCH_UP_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode status = status(querySide, processor);
            return !status.get("replaying").asBoolean() && status.get("lag").asLong() == 0
                    && status.get("state").asText().equals("RUNNING");
        });
    }
}
