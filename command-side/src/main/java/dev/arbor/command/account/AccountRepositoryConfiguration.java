package dev.arbor.command.account;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How {@link Account} aggregates are loaded: from a cache while they are in use, otherwise from the latest snapshot
 * plus the events after it. A snapshot is taken every {@code arbor.snapshot-threshold} events.
 */
@Configuration
class AccountRepositoryConfiguration {

    @Bean
    Cache accountCache() {
        return new WeakReferenceCache();
    }

    @Bean
    SnapshotTriggerDefinition accountSnapshotTrigger(Snapshotter snapshotter,
                                                     @Value("${arbor.snapshot-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }
}
