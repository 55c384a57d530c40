package dev.arbor.query.processing.batch;

import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.local.TestDatabase;
import dev.arbor.query.processing.ReadModelWriter;
import dev.arbor.query.processing.ReadModelWriter.Phase;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writes projections hand to the {@link ReadModelWriter}, on a real PostgreSQL: in a processor's batch they wait
 * for its commit, a statement of the writer's own runs after them, and a batch whose writes fail is retried with each
 * event's writes at once, so that the failing one fails its own event.
 */
class BatchedStatementsTest {

    private static final EmbeddedDatabase DATABASE = TestDatabase.get();
    private static final DataSource DATA_SOURCE = new DriverManagerDataSource(DATABASE.jdbcUrl(), DATABASE.user(),
                                                                              DATABASE.password());
    private static final ReadModelWriter.Write INSERT = ReadModelWriter.statement(
            "INSERT INTO batched_statements_test.row (id, n) VALUES (:id, :n)");
    private static final ReadModelWriter.Write ADD_ONE = ReadModelWriter.statement(
            "UPDATE batched_statements_test.row SET n = n + 1 WHERE id = :id");

    private final DataSourceTransactionManager transactions = new DataSourceTransactionManager(DATA_SOURCE);
    private final JdbcClient jdbc = JdbcClient.create(DATA_SOURCE);
    private final BatchedStatements statements = new BatchedStatements(new JdbcTemplate(DATA_SOURCE),
                                                                       new RetriedEvents());
    private final ReadModelWriter writer = new ReadModelWriter(statements, jdbc);

    @BeforeEach
    void emptyTable() {
        jdbc.sql("DROP SCHEMA IF EXISTS batched_statements_test CASCADE").update();
        jdbc.sql("CREATE SCHEMA batched_statements_test").update();
        jdbc.sql("CREATE TABLE batched_statements_test.row (id text PRIMARY KEY, n integer NOT NULL)").update();
    }

    @Test
    void inABatchWritesWaitForItsCommitAndTheWritersOwnStatementsRunAfterThem() {
        List<Integer> seenAround = new ArrayList<>();
        List<Integer> seenByTheWriter = new ArrayList<>();

        inBatch(List.of("a", "b"), id -> {
            writer.add(Phase.CREATE, INSERT, Map.of("id", id, "n", 0));
            seenAround.add(rowsSeenBy(jdbc.sql("SELECT count(*) FROM batched_statements_test.row")));
            seenByTheWriter.add(rowsSeenBy(writer.sql("SELECT count(*) FROM batched_statements_test.row")));
        });

        assertThat(seenAround).as("rows seen by a statement around the writer: the event's own still waits")
                              .containsExactly(0, 1);
        assertThat(seenByTheWriter).as("rows seen by the writer's statement").containsExactly(1, 2);
        assertThat(rowsSeenBy(jdbc.sql("SELECT count(*) FROM batched_statements_test.row"))).isEqualTo(2);
    }

    @Test
    void aBatchsCreationsRunBeforeItsChangesWhateverTheOrderOfItsEvents() {
        inBatch(List.of("change", "create"), step -> {
            if (step.equals("change")) {
                writer.add(Phase.CHANGE, ADD_ONE, Map.of("id", "x"));
            } else {
                writer.add(Phase.CREATE, INSERT, Map.of("id", "x", "n", 0));
            }
        });

        assertThat(jdbc.sql("SELECT n FROM batched_statements_test.row WHERE id = 'x'").query(Integer.class).single())
                .isEqualTo(1);
    }

    @Test
    void outsideABatchAWriteRunsAtOnce() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            writer.add(Phase.CREATE, INSERT, Map.of("id", "alone", "n", 0));
            assertThat(rowsSeenBy(jdbc.sql("SELECT count(*) FROM batched_statements_test.row"))).isEqualTo(1);
        });
    }

    @Test
    void aFoldsWritesWaitForItsEnd() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> statements.inOneBatch(() -> {
            writer.add(Phase.CREATE, INSERT, Map.of("id", "folded", "n", 0));
            assertThat(rowsSeenBy(jdbc.sql("SELECT count(*) FROM batched_statements_test.row"))).isZero();
        }));

        assertThat(rowsSeenBy(jdbc.sql("SELECT count(*) FROM batched_statements_test.row"))).isEqualTo(1);
    }

    @Test
    void aBatchWhoseWritesFailIsRetriedWithEachEventsWritesAtOnce() {
        jdbc.sql("INSERT INTO batched_statements_test.row (id, n) VALUES ('taken', 0)").update();
        List<EventMessage<?>> events = List.of(GenericEventMessage.asEventMessage("fresh"),
                                               GenericEventMessage.asEventMessage("taken"));
        List<String> failedIn = new ArrayList<>();

        Throwable firstTry = attempt(events, failedIn);
        Throwable retry = attempt(events, failedIn);

        assertThat(causes(firstTry)).as("the first try's failure")
                                    .anyMatch(BatchedStatements.BatchFailed.class::isInstance);
        assertThat(failedIn).as("the events whose own handling failed").containsExactly("taken");
        assertThat(retry).as("the retry's failure").isNotNull();
    }

    private Throwable attempt(List<EventMessage<?>> events, List<String> failedIn) {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events);
        batch.attachTransaction(new SpringTransactionManager(transactions));
        try {
            batch.executeWithResult(() -> {
                String id = (String) CurrentUnitOfWork.get().getMessage().getPayload();
                try {
                    writer.add(Phase.CREATE, INSERT, Map.of("id", id, "n", 1));
                } catch (RuntimeException failure) {
                    failedIn.add(id);
                    throw failure;
                }
                return null;
            });
        } catch (Exception failure) {
            return failure;
        }
        return batch.getExecutionResults().values().stream()
                    .filter(ExecutionResult::isExceptionResult).map(ExecutionResult::getExceptionResult)
                    .findFirst().orElse(null);
    }

    private void inBatch(List<String> payloads, Consumer<String> handler) {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(
                payloads.stream().<EventMessage<?>>map(GenericEventMessage::asEventMessage).toList());
        batch.attachTransaction(new SpringTransactionManager(transactions));
        batch.executeWithResult(() -> {
            handler.accept((String) CurrentUnitOfWork.get().getMessage().getPayload());
            return null;
        });
        assertThat(batch.isRolledBack()).as("the batch rolled back").isFalse();
    }

    private static int rowsSeenBy(JdbcClient.StatementSpec count) {
        return count.query(Integer.class).single();
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }
}
