package dev.arbor.api.account;

import java.util.UUID;

/**
 * An event that belongs to one organization's account tree. Projections of a tree depend on the order of events
 * across its accounts (a child needs its parent), so the query side processes each tree's events in order.
 */
public interface TreeEvent {

    UUID rootId();
}
