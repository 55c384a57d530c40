package dev.arbor.system;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replaying every event into an emptied read model rebuilds exactly the rows the live projection keeps, whatever had
 * happened to them; replaying from an instant re-delivers the events since then, and empties nothing.
 */
class ReplaySystemTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final Commands commands = new Commands(arbor.commandSide);

    @Test
    void aReplayFromTheFirstEventRebuildsTheSameReadModel() {
        givenAHistoryWithEveryKindOfChange();
        awaitProjected();
        List<String> live = arbor.store.readModelRows();
        // Damage that only a rebuild from the events can repair: rows not newer than their events are left alone.
        arbor.database.sql("UPDATE read_model.account SET name = 'tampered', child_count = 99").update();
        arbor.database.sql("DELETE FROM read_model.device").update();

        Processors.replay(arbor.querySide, "accounts", null);

        assertThat(arbor.store.readModelRows()).isEqualTo(live);
    }

    /**
     * Rows remember the version of the last event applied to them, so re-delivered events change nothing a row
     * already holds. What a replay from an instant repairs is a row that missed an event since then: here two rows
     * are set back to before their last event (a rename), one renamed after the instant, one before it.
     */
    @Test
    void aReplayFromAnInstantReappliesTheEventsSinceThenAndEmptiesNothing() throws InterruptedException {
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Replayed from\", \"seats\": 10}");
        String early = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"early\", \"seats\": 2}");
        String late = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"late\", \"seats\": 2}");
        commands.send("PATCH", "/api/v1/accounts/" + early, "{\"name\": \"early, renamed\"}");
        Instant instant = Commands.pause();
        commands.send("PATCH", "/api/v1/accounts/" + late, "{\"name\": \"late, renamed\"}");
        // events after the instant that rows already hold: a new account, and the seats and counts of its parent
        commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"new\", \"seats\": 3}");
        awaitProjected();
        List<String> live = arbor.store.readModelRows();
        missTheLastEvent(early, "early");
        missTheLastEvent(late, "late");

        Processors.replay(arbor.querySide, "accounts", instant);

        assertThat(name(late)).as("renamed after the instant").isEqualTo("late, renamed");
        assertThat(name(early)).as("renamed before the instant").isEqualTo("early");
        arbor.database.sql("UPDATE read_model.account SET name = 'early, renamed', version = version + 1"
                           + " WHERE id = ?::uuid").param(early).update();
        assertThat(arbor.store.readModelRows()).as("every other row as it was, none applied twice").isEqualTo(live);
    }

    /** Sets the account's row back to before its last event, a rename from {@code formerName}. */
    private void missTheLastEvent(String account, String formerName) {
        arbor.database.sql("UPDATE read_model.account SET name = ?, version = version - 1 WHERE id = ?::uuid")
                      .params(formerName, account).update();
    }

    private String name(String account) {
        return arbor.database.sql("SELECT name FROM read_model.account WHERE id = ?::uuid").param(account)
                             .query(String.class).single();
    }

    private void awaitProjected() {
        assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts?limit=1", commands.lastPosition(), 10_000)
                       .stale()).isFalse();
    }

    private void givenAHistoryWithEveryKindOfChange() {
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Replayed\", \"seats\": 100}");
        String a = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"a\", \"seats\": 30}");
        String b = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"b\", \"seats\": 20}");
        String a1 = commands.create("/api/v1/accounts/" + a + "/children", "{\"name\": \"a1\", \"seats\": 10}");
        String gone = commands.create("/api/v1/accounts/" + b + "/children", "{\"name\": \"gone\", \"seats\": 5}");
        commands.send("POST", "/api/v1/accounts/" + org + "/seat-transfers", "{\"to\": \"" + b + "\", \"seats\": 3}");
        commands.send("POST", "/api/v1/accounts/" + a1 + "/move", "{\"newParentId\": \"" + b + "\"}");
        commands.send("POST", "/api/v1/accounts/" + a + "/suspend", null);
        commands.send("DELETE", "/api/v1/accounts/" + gone, null);
        commands.send("PUT", "/api/v1/accounts/" + b + "/limits", "{\"users\": 5}");
        commands.send("PATCH", "/api/v1/accounts/" + b + "/config", "{\"billable\": false}");
        commands.create("/api/v1/accounts/" + b + "/users",
                        "{\"email\": \"replay-" + b + "@example.com\", \"name\": \"U\"}");
        commands.create("/api/v1/accounts/" + a1 + "/devices", "{\"serial\": \"replay-" + a1 + "\", \"name\": \"D\"}");
    }
}
