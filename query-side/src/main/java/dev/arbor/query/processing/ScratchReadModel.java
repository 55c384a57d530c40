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
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
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
 * is always rolled back, which drops the copies.
 */
@Component
public class ScratchReadModel {

    private static final List<String> TABLES = List.of("account", "app_user", "device");

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ApplicationContext context;
    private final Configuration axon;
    private volatile List<EventMessageHandler> projections;

    ScratchReadModel(JdbcClient jdbc, PlatformTransactionManager transactions, ApplicationContext context,
                     Configuration axon) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.context = context;
        this.axon = axon;
    }

    /** Folds {@code events} (in order) into an empty scratch read model, and answers what {@code read} reads there. */
    public <T> T fold(Stream<? extends EventMessage<?>> events, Supplier<T> read) {
        return transaction.execute(status -> {
            status.setRollbackOnly();
            TABLES.forEach(table -> jdbc.sql("CREATE TEMPORARY TABLE " + table + " (LIKE read_model." + table
                                                     + " INCLUDING ALL) ON COMMIT DROP").update());
            jdbc.sql("SET LOCAL search_path TO pg_temp").update();
            events.forEach(this::project);
            return read.get();
        });
    }

    private void project(EventMessage<?> event) {
        for (EventMessageHandler projection : projections()) {
            try {
                projection.handle(event);
            } catch (Exception failure) {
                throw new IllegalStateException("Projecting " + event.getPayloadType().getSimpleName() + " "
                                                        + event.getIdentifier() + " failed", failure);
            }
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
