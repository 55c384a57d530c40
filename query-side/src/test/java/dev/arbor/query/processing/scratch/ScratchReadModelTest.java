package dev.arbor.query.processing.scratch;

import dev.arbor.query.processing.scratch.ScratchFoldParts.Organization;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.util.List;
import java.util.stream.Stream;

import static dev.arbor.query.processing.scratch.ScratchFoldParts.TOO_LONG_A_NAME;
import static dev.arbor.query.processing.scratch.ScratchFoldParts.liveRowsOf;
import static dev.arbor.query.processing.scratch.ScratchFoldParts.rowsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ScratchReadModel}: events folded by the projections' own handlers into empty temporary copies of the
 * read-model tables, read there by plain SQL that names no schema, and gone afterwards.
 */
@SpringJUnitConfig(ScratchFoldParts.class)
class ScratchReadModelTest {

    @Autowired
    private ScratchReadModel scratch;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void foldingAnOrganizationsEventsGivesItsRowsToTheReadAndWritesNothingLive() {
        Organization acme = Organization.of(10, 4, "Acme EU");

        List<String> rows = scratch.fold(() -> acme.events().stream(), failures -> {
            assertThat(failures).as("events the projections failed on").isEmpty();
            return rowsIn(jdbc, "account");
        });

        assertThat(rows).containsExactlyElementsOf(acme.rows(6, 4));
        assertThat(liveRowsOf(jdbc, acme)).as("rows of the organization in the live read model").isZero();
    }

    /**
     * An event the projections fail on is left out of the fold, and the read is told which, as "id (type): cause": a
     * past with a hole in it is for the caller to refuse, as time travel does.
     */
    @Test
    void anEventTheProjectionsFailOnIsLeftOutAndNamedToTheRead() {
        Organization acme = Organization.of(10, 4, TOO_LONG_A_NAME);
        String childCreated = acme.childCreated().getIdentifier();

        record Answer(List<String> failures, List<String> rows) {
        }
        Answer answer = scratch.fold(() -> acme.events().stream(),
                                     failures -> new Answer(failures, rowsIn(jdbc, "account")));

        assertThat(answer.failures()).singleElement().asString()
                                     .startsWith(childCreated + " (AccountCreated): ")
                                     .contains("value too long");
        assertThat(ReadModelProjections.eventIdOf(answer.failures().get(0))).isEqualTo(childCreated);
        assertThat(answer.rows()).as("the rows of the events folded")
                                 .containsExactly(acme.rows(6, 4).get(0));
    }

    /** However many events fail, each is named once and every other event is folded. */
    @Test
    void everyEventTheProjectionsFailOnIsNamedAndAllOthersAreFolded() {
        Organization acme = Organization.of(10, 4, TOO_LONG_A_NAME);
        Organization globex = Organization.of(8, 3, TOO_LONG_A_NAME);
        Organization initech = Organization.of(5, 2, "Initech EU");
        List<DomainEventMessage<?>> events = Stream.of(acme, globex, initech)
                                                   .flatMap(organization -> organization.events().stream()).toList();

        record Answer(List<String> failures, List<String> rows) {
        }
        Answer answer = scratch.fold(events::stream, failures -> new Answer(failures, rowsIn(jdbc, "account")));

        assertThat(answer.failures()).extracting(ReadModelProjections::eventIdOf)
                                     .containsExactlyInAnyOrder(acme.childCreated().getIdentifier(),
                                                                globex.childCreated().getIdentifier());
        assertThat(answer.rows()).containsExactlyInAnyOrder(acme.rows(6, 4).get(0), globex.rows(5, 3).get(0),
                                                            initech.rows(3, 2).get(0), initech.rows(3, 2).get(1));
    }

    /**
     * Whether the read answers or refuses, the fold leaves its session as it found it: no scratch tables, the search
     * path on the live read model, and the next fold (on the same connection, the pool's only one) starts empty.
     */
    @Test
    void aFoldLeavesNothingBehindAndTheNextStartsEmpty() {
        Organization refused = Organization.of(10, 4, TOO_LONG_A_NAME);
        assertThatThrownBy(() -> scratch.fold(() -> refused.events().stream(), failures -> {
            throw new IllegalStateException("could not all be folded: " + failures);
        })).isInstanceOf(IllegalStateException.class);
        Organization first = Organization.of(10, 4, "First");
        scratch.fold(() -> first.events().stream(), failures -> rowsIn(jdbc, "account"));

        assertThat(jdbc.sql("SELECT to_regclass('pg_temp.account') IS NULL").query(Boolean.class).single())
                .as("no scratch table left in the session").isTrue();
        assertThat(jdbc.sql("SELECT current_setting('search_path')").query(String.class).single())
                .isEqualTo("read_model");
        Organization second = Organization.of(5, 2, "Second");
        List<String> rowsOfTheNext = scratch.fold(() -> second.events().stream(), failures -> rowsIn(jdbc, "account"));
        assertThat(rowsOfTheNext).containsExactlyElementsOf(second.rows(3, 2));
        assertThat(liveRowsOf(jdbc, refused) + liveRowsOf(jdbc, first) + liveRowsOf(jdbc, second)).isZero();
    }
}
