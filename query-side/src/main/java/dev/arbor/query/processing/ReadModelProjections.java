package dev.arbor.query.processing;

import org.axonframework.config.Configuration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The read model's projections (the beans of its processing group), called directly rather than by a processor:
 * to fold events into a scratch copy of the read model or into a shadow set of tables. They write to whichever
 * tables the transaction's search_path names.
 */
@Component
public class ReadModelProjections {

    /** The tables the projections write, by their unqualified names. */
    public static final List<String> TABLES = List.of("account", "app_user", "device");

    private final Savepoint savepoint;
    private final ApplicationContext context;
    private final Configuration axon;
    private volatile List<EventMessageHandler> projections;

    ReadModelProjections(Savepoint savepoint, ApplicationContext context, Configuration axon) {
        this.savepoint = savepoint;
        this.context = context;
        this.axon = axon;
    }

    /**
     * Applies the events in order, each in a savepoint of the caller's transaction. An event the projections fail on
     * is left out, as the live processor parks it in the dead-letter queue; the answer names each such event as
     * "id (type): cause".
     */
    public List<String> project(Stream<? extends EventMessage<?>> events) {
        List<String> failures = new ArrayList<>();
        events.forEach(event -> project(event, failures));
        return failures;
    }

    private void project(EventMessage<?> event, List<String> failures) {
        try {
            savepoint.run(() -> {
                for (EventMessageHandler projection : handlers()) {
                    projection.handle(event);
                }
                return null;
            });
        } catch (Exception failure) {
            failures.add(event.getIdentifier() + " (" + event.getPayloadType().getSimpleName() + "): " + failure);
        }
    }

    private List<EventMessageHandler> handlers() {
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
