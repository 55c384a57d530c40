package dev.arbor.query.access;

import java.util.UUID;

/**
 * How far the read model has folded an organization's events: every event at or below the answer is in it. The event
 * store is always ahead of it, and a user's history and audit are decided by the read model's paths: an event beyond
 * this point may belong to a move the paths do not show yet, and so to an account that already left the user's
 * subtree.
 */
public interface FoldedThrough {

    /** The highest global index up to which the read model holds every event of {@code organization}; -1 for none. */
    long positionOf(UUID organization);
}
