package dev.arbor.platform.eventstore;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.OptionalLong;

/**
 * The global index of the last event a unit of work appended, as the append itself returned it
 * ({@link GapSafeEventStorageEngine}): a command answers its position without asking the store a second time.
 */
public final class AppendedPositions {

    private static final String LAST = AppendedPositions.class.getName() + ".last";

    private AppendedPositions() {
    }

    /** In the unit of work that appends, if any: {@code position} was just taken by one of its events. */
    static void record(long position) {
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root().resources()
                .merge(LAST, position, (earlier, later) -> Math.max((Long) earlier, (Long) later)));
    }

    /** The highest global index the events appended in {@code unitOfWork} took; empty before its append. */
    public static OptionalLong last(UnitOfWork<?> unitOfWork) {
        Object last = unitOfWork.root().getResource(LAST);
        return last == null ? OptionalLong.empty() : OptionalLong.of((Long) last);
    }
}
