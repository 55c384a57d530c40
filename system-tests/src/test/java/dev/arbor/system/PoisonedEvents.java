package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.account.AccountCreated;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events the read model's projection fails on, and where they are parked. One written past the command side's
 * validation fails for good; valid events fail while the read model refuses their rows, as a bug in a projection or
 * a broken migration would make it, and go through once it no longer does.
 */
final class PoisonedEvents {

    /** While open, the read model refuses the rows of accounts of one name. */
    interface Refusal extends AutoCloseable {
        @Override
        void close();
    }

    private final RunningArbor arbor;

    PoisonedEvents(RunningArbor arbor) {
        this.arbor = arbor;
    }

    /** Appends the creation of an organization whose name the read model's column cannot hold; answers its id. */
    String appendUnprojectableOrganization(UUID organization) {
        return RawEvents.appendAccountEvent(arbor.database, organization, 0, AccountCreated.class, "1", """
                {"accountId":"%s","rootId":"%s","parentId":null,"name":"%s","description":null,
                 "externalId":null,"seats":0,"limits":{}}""".formatted(organization, organization, "x".repeat(300)),
                                            "{}");
    }

    /** Makes inserting an account named {@code name} into the read model fail, until the refusal is closed. */
    Refusal refuseAccountsNamed(String name) {
        String trigger = "refuse_" + UUID.randomUUID().toString().replace('-', '_');
        arbor.database.sql("""
                           CREATE FUNCTION read_model.%s() RETURNS trigger LANGUAGE plpgsql AS $$
                           BEGIN RAISE EXCEPTION 'account %% refused by the test', NEW.id; END $$"""
                                   .formatted(trigger)).update();
        arbor.database.sql("CREATE TRIGGER %s BEFORE INSERT ON read_model.account FOR EACH ROW WHEN (NEW.name = '%s')"
                                   .formatted(trigger, name.replace("'", "''"))
                           + " EXECUTE FUNCTION read_model." + trigger + "()").update();
        return () -> {
            arbor.database.sql("DROP TRIGGER " + trigger + " ON read_model.account").update();
            arbor.database.sql("DROP FUNCTION read_model." + trigger).update();
        };
    }

    /**
     * Evicts every dead letter through the admin API: the events other tests parked for good (a replay from the first
     * event parks them again), which a rebuild would otherwise refuse to leave out.
     */
    void evictEveryLetter() {
        for (JsonNode letter : Http.get(arbor.querySide, "/api/v1/admin/dead-letters").body()) {
            String path = "/api/v1/admin/dead-letters/" + letter.get("processingGroup").asText() + "/"
                          + letter.get("id").asText();
            assertThat(Http.send(arbor.querySide, "DELETE", path, null).status()).as(path).isEqualTo(200);
        }
    }

    /** The event ids of every dead letter, as the admin API lists them. */
    List<String> listedEventIds() {
        List<String> ids = new ArrayList<>();
        Http.get(arbor.querySide, "/api/v1/admin/dead-letters").body().forEach(letter -> ids.add(
                letter.get("eventId").asText()));
        return ids;
    }

    /** The event's dead letter as the admin API lists it. */
    JsonNode parked(String eventId) {
        for (JsonNode letter : Http.get(arbor.querySide, "/api/v1/admin/dead-letters").body()) {
            if (letter.get("eventId").asText().equals(eventId)) {
                return letter;
            }
        }
        throw new AssertionError("Event " + eventId + " is not among the dead letters");
    }

    long parkedCount(String eventId) {
        return arbor.database.sql("SELECT count(*) FROM read_model.dead_letter_entry WHERE event_identifier = ?")
                             .param(eventId).query(Long.class).single();
    }

    /** The ids of the events parked in the sequence of the aggregate's first parked event, in their order. */
    List<String> parkedInTheSequenceOf(String aggregate) {
        return arbor.database.sql("""
                                  SELECT event_identifier FROM read_model.dead_letter_entry
                                   WHERE sequence_identifier = (SELECT sequence_identifier
                                                                  FROM read_model.dead_letter_entry
                                                                 WHERE aggregate_identifier = ? LIMIT 1)
                                   ORDER BY sequence_index""")
                             .param(aggregate).query(String.class).list();
    }

    /** Every parked letter of every processing group. */
    long lettersParked() {
        return arbor.store.count("read_model.dead_letter_entry");
    }

    /** The parked sequences of every processing group. */
    long sequencesParked() {
        return arbor.database.sql("""
                                  SELECT count(DISTINCT (processing_group, sequence_identifier))
                                    FROM read_model.dead_letter_entry""").query(Long.class).single();
    }
}
