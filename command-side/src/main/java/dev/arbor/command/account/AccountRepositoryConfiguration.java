package dev.arbor.command.account;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How {@link Account} aggregates are loaded: from a cache while they are in use (unless it is turned off),
 * otherwise from the latest snapshot plus the events after it. A snapshot is taken every {@code arbor.snapshot-threshold} events.
 */
@Configuration
class AccountRepositoryConfiguration {

    /**
     * A cache of loaded aggregates ({@code arbor.aggregate-cache}), or none. With several command nodes and no routing
     * of commands by aggregate, a node's cached aggregate misses what other nodes appended since. A command that then
     * appends conflicts and is retried on fresh state, but one refused on the stale state (an account that is not yet
     * its child, seats not yet received) is refused wrongly. Axon evicts the entry on that rollback, so it happens
     * once per stale entry; turning the cache off rules it out.
     */
    @Bean
    Cache accountCache(@Value("${arbor.aggregate-cache:true}") boolean enabled) {
        return enabled ? new WeakReferenceCache() : NoCache.INSTANCE;
    }

    @Bean
    SnapshotTriggerDefinition accountSnapshotTrigger(Snapshotter snapshotter,
                                                     @Value("${arbor.snapshot-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }
}
