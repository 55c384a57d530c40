package dev.arbor.platform.eventstore;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The global index each event a unit of work appended took, by the event's identifier, as the append itself returned
 * it ({@link GapSafeEventStorageEngine}): a command answers its position without asking the store a second time.
 * Kept by identifier, not by the order of the append, so that a position is never another event's.
 */
public final class AppendedPositions {

    private static final String POSITIONS = AppendedPositions.class.getName() + ".positions";

    private AppendedPositions() {
    }

    /**
     * In the unit of work that appends, if any: each event (by identifier) has just taken its global index. Every
     * append of the unit of work adds to what the earlier ones recorded.
     */
    static void record(Map<String, Long> positionsByEventIdentifier) {
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root()
                .<Map<String, Long>>getOrComputeResource(POSITIONS, key -> new HashMap<>())
                .putAll(positionsByEventIdentifier));
    }

    /** The global index the event {@code eventIdentifier} took when {@code unitOfWork} appended it; empty before. */
    public static OptionalLong of(UnitOfWork<?> unitOfWork, String eventIdentifier) {
        Map<String, Long> positions = unitOfWork.root().getResource(POSITIONS);
        Long position = positions == null ? null : positions.get(eventIdentifier);
        return position == null ? OptionalLong.empty() : OptionalLong.of(position);
    }
}
