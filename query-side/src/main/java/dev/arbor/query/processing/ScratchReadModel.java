package dev.arbor.query.processing;

import org.axonframework.config.Configuration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A throwaway read model: empty temporary copies of the read-model tables, into which events are folded by the
 * projections' own event handlers, and which are then read by the views' own queries. Time travel and verification
 * use it, so the past state of an account is computed by exactly the code that keeps the live one.
 *
 * <p>It works because the read model's SQL names its tables without a schema: the connection's search_path points
 * at {@code read_model}, and inside a fold it points at this session's temporary schema instead. (PostgreSQL replans
 * a prepared statement when search_path changes, so no cached plan keeps writing to the live tables.) The transaction
 * is always rolled back, which drops the copies. An event the projections fail on is left out, as the live processor
 * parks it in the dead-letter queue, and reported.
 */
@Component
public class ScratchReadModel {

    private static final List<String> TABLES = List.of("account", "app_user", "device");

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final TransactionTemplate savepoint;
    private final ApplicationContext context;
    private final Configuration axon;
    private volatile List<EventMessageHandler> projections;

    ScratchReadModel(JdbcClient jdbc, PlatformTransactionManager transactions, ApplicationContext context,
                     Configuration axon) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.context = context;
        this.axon = axon;
    }

    /** Folds {@code events} (in order) into an empty scratch read model, and answers what {@code read} reads there. */
    public <T> T fold(Stream<? extends EventMessage<?>> events, Supplier<T> read) {
        return fold(events, failures -> read.get());
    }

    /**
     * Folds {@code events} as {@link #fold(Stream, Supplier)} does, and hands {@code read} the events that could not
     * be projected, each as "id (type): cause". Joins the caller's transaction if there is one (and marks it for
     * rollback), so a caller can fold inside its own snapshot of the database.
     */
    public <T> T fold(Stream<? extends EventMessage<?>> events, Function<List<String>, T> read) {
        return transaction.execute(status -> {
            status.setRollbackOnly();
            TABLES.forEach(table -> jdbc.sql("CREATE TEMPORARY TABLE " + table + " (LIKE read_model." + table
                                                     + " INCLUDING ALL) ON COMMIT DROP").update());
            jdbc.sql("SET LOCAL search_path TO pg_temp").update();
            List<String> failures = new ArrayList<>();
            events.forEach(event -> project(event, failures));
            return read.apply(failures);
        });
    }

    private void project(EventMessage<?> event, List<String> failures) {
        try {
            savepoint.executeWithoutResult(status -> projections().forEach(projection -> {
                try {
                    projection.handle(event);
                } catch (Exception failure) {
                    throw new IllegalStateException(failure);
                }
            }));
        } catch (RuntimeException failure) {
            Throwable cause = failure instanceof IllegalStateException && failure.getCause() != null
                              ? failure.getCause() : failure;
            failures.add(event.getIdentifier() + " (" + event.getPayloadType().getSimpleName() + "): " + cause);
        }
    }

    /** The read model's projections: the beans of its processing group, found on first use. */
    private List<EventMessageHandler> projections() {
        if (projections == null) {
            projections = context.getBeansWithAnnotation(ProcessingGroup.class).values().stream()
                                 .filter(bean -> ReadModelPosition.PROJECTION.equals(AnnotationUtils.findAnnotation(
                                         bean.getClass(), ProcessingGroup.class).value()))
                                 .<EventMessageHandler>map(bean -> new AnnotationEventHandlerAdapter(
                                         bean, axon.parameterResolverFactory()))
                                 .toList();
        }
        return projections;
    }
}
