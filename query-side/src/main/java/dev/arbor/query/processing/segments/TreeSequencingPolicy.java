package dev.arbor.query.processing.segments;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.springframework.stereotype.Component;

/**
 * Keeps each organization's events in order on one processor segment: a tree's rows depend on each other (a child
 * row takes its depth from its parent's), so they must be folded in the order they were appended. Different
 * organizations are processed in parallel.
 */
@Component
public class TreeSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        if (event.getPayload() instanceof TreeEvent treeEvent) {
            return treeEvent.rootId();
        }
        return SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }
}
