package dev.arbor.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A command's position, passed back as Arbor-Min-Position, makes the query side wait for that write. */
class ReadYourWritesTest {

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
        Http.Response read = Http.getAfter(arbor.querySide, "/api/v1/accounts/0191e5b2-0000-7000-8000-00000000beef",
                                           1_000_000_000_000L, 50);

        assertThat(read.stale()).isTrue();
        assertThat(read.status()).isEqualTo(404);
    }
}
