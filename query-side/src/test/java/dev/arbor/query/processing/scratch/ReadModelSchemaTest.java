package dev.arbor.query.processing.scratch;

import dev.arbor.platform.eventstore.GapSafeEventStorageEngine;
import dev.arbor.platform.eventstore.StoredEvents;
import dev.arbor.query.processing.scratch.ReadModelSchema.Folded;
import dev.arbor.query.processing.scratch.ScratchFoldParts.Organization;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static dev.arbor.query.processing.scratch.ScratchFoldParts.TOO_LONG_A_NAME;
import static dev.arbor.query.processing.scratch.ScratchFoldParts.liveRowsOf;
import static dev.arbor.query.processing.scratch.ScratchFoldParts.rowsIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReadModelSchema}: a schema of its own with a copy of every read-model table, filled from the event store by
 * the projections' own handlers, as a rebuild's shadow and verification's copy are; dropped after use.
 */
@SpringJUnitConfig(ScratchFoldParts.class)
class ReadModelSchemaTest {

    private static final String SCHEMA = "read_model_schema_test";

    @Autowired
    private ReadModelSchema schemas;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private GapSafeEventStorageEngine store;
    @Autowired
    private StoredEvents events;
    @Autowired
    private PlatformTransactionManager transactions;

    @AfterEach
    void dropTheSchema() {
        schemas.drop(SCHEMA);
    }

    /** A scratch schema holds an empty, unlogged copy of each read-model table, and nothing a failed run left. */
    @Test
    void aScratchSchemaIsCreatedAfreshWithAnEmptyUnloggedCopyOfEachTable() {
        schemas.createScratch(SCHEMA);
        jdbc.sql("CREATE TABLE " + SCHEMA + ".left_by_a_failed_run (x integer)").update();

        schemas.createScratch(SCHEMA);

        assertThat(jdbc.sql("""
                                    SELECT c.relname || ' ' || CAST(c.relpersistence AS text) FROM pg_class c
                                      JOIN pg_namespace n ON n.oid = c.relnamespace
                                     WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY 1""")
                       .param(SCHEMA).query(String.class).list())
                .containsExactlyElementsOf(ReadModelProjections.TABLES.stream().map(table -> table + " u").sorted()
                                                                      .toList());
        assertThat(rowsIn(jdbc, SCHEMA + ".account")).isEmpty();
    }

    /**
     * The events after {@code after} up to {@code upTo} that the filter accepts are folded into the schema's tables,
     * and counted; none before or after the range, none the filter refuses, and nothing in the live tables.
     */
    @Test
    void aFoldAppliesTheStoredEventsOfItsRangeThatTheFilterAcceptsToTheSchemasTables() {
        append(Organization.of(10, 4, "Before the range"));
        long after = events.head();
        Organization acme = append(Organization.of(10, 4, "Acme EU"));
        Organization filteredOut = append(Organization.of(7, 1, "Filtered out"));
        long upTo = events.head();
        append(Organization.of(10, 4, "After the range"));
        schemas.createScratch(SCHEMA);

        Folded folded = fold(after, upTo, event -> !accountsOf(filteredOut).contains(aggregateOf(event)));

        assertThat(folded).isEqualTo(new Folded(acme.events().size(), List.of()));
        assertThat(rowsIn(jdbc, SCHEMA + ".account")).containsExactlyElementsOf(acme.rows(6, 4));
        assertThat(liveRowsOf(jdbc, acme)).as("rows of the organization in the live read model").isZero();
    }

    /** A stored event the projections fail on is left out and named in the answer, as the live processor parks it. */
    @Test
    void aStoredEventTheProjectionsFailOnIsLeftOutAndNamed() {
        long after = events.head();
        Organization acme = append(Organization.of(10, 4, TOO_LONG_A_NAME));
        schemas.createScratch(SCHEMA);

        Folded folded = fold(after, events.head(), event -> true);

        assertThat(folded.events()).as("events applied, counted once although the fold started over")
                                   .isEqualTo(acme.events().size());
        assertThat(folded.unprojectable()).singleElement().asString()
                                          .startsWith(acme.childCreated().getIdentifier() + " (AccountCreated): ");
        assertThat(rowsIn(jdbc, SCHEMA + ".account")).containsExactly(acme.rows(6, 4).get(0));
    }

    @Test
    void droppingTheSchemaRemovesItAndItsTables() {
        schemas.create(SCHEMA);

        schemas.drop(SCHEMA);

        assertThat(jdbc.sql("SELECT count(*) FROM pg_namespace WHERE nspname = ?").param(SCHEMA).query(Long.class)
                       .single()).isZero();
    }

    private Folded fold(long after, long upTo, Predicate<TrackedEventMessage<?>> which) {
        return new TransactionTemplate(transactions).execute(status -> schemas.fold(SCHEMA, after, upTo, which));
    }

    private Organization append(Organization organization) {
        store.appendEvents(organization.events());
        return organization;
    }

    private static Set<String> accountsOf(Organization organization) {
        return organization.events().stream().map(DomainEventMessage::getAggregateIdentifier)
                           .collect(Collectors.toSet());
    }

    private static String aggregateOf(TrackedEventMessage<?> event) {
        return ((DomainEventMessage<?>) event).getAggregateIdentifier();
    }
}
