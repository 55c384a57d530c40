package dev.arbor.platform.database;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;

/** A failure's cause chain: the same database failure arrives wrapped by the driver, Spring, Axon, or all three. */
final class Causes {

    private Causes() {
    }

    /** Whether {@code failure} or any of its causes passes {@code test} (a cyclic chain ends where it repeats). */
    static boolean anyMatch(Throwable failure, Predicate<Throwable> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
        }
        return false;
    }
}
