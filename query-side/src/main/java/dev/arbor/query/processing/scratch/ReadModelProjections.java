package dev.arbor.query.processing.scratch;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.query.processing.batch.BatchedStatements;
import dev.arbor.query.processing.batch.Savepoint;
import org.axonframework.config.Configuration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The read model's projections (the beans of its processing group), called directly rather than by a processor:
 * to fold events into a scratch copy of the read model or into a shadow set of tables. They write to whichever
 * tables the transaction's search_path names.
 */
@Component
public class ReadModelProjections {

    /** The tables the projections write, by their unqualified names. */
    public static final List<String> TABLES = List.of("account", "account_former_path", "app_user", "device");

    private final Savepoint savepoint;
    private final BatchedStatements statements;
    private final ApplicationContext context;
    private final Configuration axon;
    private volatile List<EventMessageHandler> projections;

    ReadModelProjections(Savepoint savepoint, BatchedStatements statements, ApplicationContext context,
                         Configuration axon) {
        this.savepoint = savepoint;
        this.statements = statements;
        this.context = context;
        this.axon = axon;
    }

    /**
     * Applies the events in order in the caller's transaction. An event the projections fail on is left out, as the
     * live processor parks it in the dead-letter queue; the answer names each such event as "id (type): cause".
     * <p>
     * The events run in one savepoint, not one each: past 64 subtransactions in one transaction PostgreSQL's
     * subtransaction cache overflows and every session of the database slows down, for as long as a fold of the whole
     * store lasts. Their writes go in one batch ({@link BatchedStatements#inOneBatch}), as a processor's do. When an
     * event fails, that savepoint is rolled back and the events are applied again from {@code events}' start, each
     * writing at once, the failed ones each in a savepoint of their own.
     */
    public List<String> project(Supplier<? extends Stream<? extends EventMessage<?>>> events) {
        try {
            savepoint.run(() -> {
                statements.inOneBatch(() -> events.get().forEach(this::handleOrFail));
                return null;
            });
            return List.of();
        } catch (Exception failed) {
            return projectOneAtATime(events);
        }
    }

    private void handleOrFail(EventMessage<?> event) {
        try {
            handle(event);
        } catch (Exception failure) {
            throw new FailedOnFirstTry(event.getIdentifier(), failure);
        }
    }

    private List<String> projectOneAtATime(Supplier<? extends Stream<? extends EventMessage<?>>> events) {
        Set<String> failing = new HashSet<>();
        while (true) {
            List<String> failures = new ArrayList<>();
            try {
                savepoint.run(() -> {
                    events.get().forEach(event -> project(event, failing, failures));
                    return null;
                });
                return failures;
            } catch (FailedOnFirstTry failed) {
                failing.add(failed.eventId);
            } catch (Exception unexpected) {
                throw new IllegalStateException(unexpected);
            }
        }
    }

    private void project(EventMessage<?> event, Set<String> failing, List<String> failures) {
        if (!failing.contains(event.getIdentifier())) {
            handleOrFail(event);
            return;
        }
        try {
            savepoint.run(() -> {
                handle(event);
                return null;
            });
        } catch (Exception failure) {
            failures.add(event.getIdentifier() + " (" + event.getPayloadType().getSimpleName() + "): " + failure);
        }
    }

    /** The id of the event an entry of {@link #project}'s answer names: "id (Type): failure". */
    public static String eventIdOf(String unprojectable) {
        return unprojectable.substring(0, unprojectable.indexOf(' '));
    }

    private void handle(EventMessage<?> event) throws Exception {
        for (EventMessageHandler projection : handlers()) {
            projection.handle(event);
        }
    }

    /** An event failed without a savepoint of its own: the whole fold starts again, giving it one. */
    private static final class FailedOnFirstTry extends RuntimeException {

        private final String eventId;

        FailedOnFirstTry(String eventId, Exception cause) {
            super(cause);
            this.eventId = eventId;
        }
    }

    private List<EventMessageHandler> handlers() {
        if (projections == null) {
            projections = context.getBeansWithAnnotation(ProcessingGroup.class).values().stream()
                                 .filter(bean -> ProcessingGroups.PROJECTION.equals(AnnotationUtils.findAnnotation(
                                         bean.getClass(), ProcessingGroup.class).value()))
                                 .<EventMessageHandler>map(bean -> new AnnotationEventHandlerAdapter(
                                         bean, axon.parameterResolverFactory()))
                                 .toList();
        }
        return projections;
    }
}
