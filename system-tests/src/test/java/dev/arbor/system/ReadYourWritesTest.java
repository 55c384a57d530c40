package dev.arbor.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A command's position, passed back as Arbor-Min-Position, makes the query side wait for that write. */
class ReadYourWritesTest {

    /** A position no test run reaches. */
    private static final long UNREACHABLE = 1_000_000_000_000L;
    private static final String NO_SUCH_ACCOUNT = "/api/v1/accounts/0191e5b2-0000-7000-8000-00000000beef";

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void aQueryWaitsForTheCommandsPosition() {
        for (int i = 0; i < 20; i++) {
            Http.Response created = Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Mine\", \"seats\": 1}");
            String id = created.body().get("id").asText();
            long position = created.body().get("position").asLong();

            Http.Response read = Http.getAfter(arbor.querySide, "/api/v1/accounts/" + id, position, 5_000);

            assertThat(read.status()).isEqualTo(200);
            assertThat(read.stale()).isFalse();
        }
    }

    @Test
    void aPositionNotReachedInTimeIsMarkedStale() {
        Http.Response read = Http.getAfter(arbor.querySide, NO_SUCH_ACCOUNT, UNREACHABLE, 50);

        assertThat(read.stale()).isTrue();
        assertThat(read.status()).isEqualTo(404);
    }

    /** Five seconds, not the thirty a client may ask for at most: the default is its own. */
    @Test
    void withoutArborMaxWaitAQueryWaitsFiveSecondsThenAnswersStale() {
        Timed read = timed(() -> Http.getAfter(arbor.querySide, NO_SUCH_ACCOUNT, UNREACHABLE));

        assertThat(read.elapsed()).isBetween(Duration.ofMillis(4_900), Duration.ofSeconds(15));
        assertThat(read.response().stale()).isTrue();
        assertThat(read.response().status()).isEqualTo(404);
    }

    /** The same request as above, without Arbor-Min-Position: answered at once, and never marked stale. */
    @Test
    void withoutArborMinPositionAQueryNeverWaits() {
        Timed read = timed(() -> Http.get(arbor.querySide, NO_SUCH_ACCOUNT));

        assertThat(read.elapsed()).isLessThan(Duration.ofSeconds(2));
        assertThat(read.response().stale()).isFalse();
        assertThat(read.response().status()).isEqualTo(404);
    }

    private record Timed(Http.Response response, Duration elapsed) {
    }

    private static Timed timed(Supplier<Http.Response> request) {
        long start = System.nanoTime();
        Http.Response response = request.get();
        return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
    }
}
