package dev.arbor.command.account;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How {@link Account} aggregates are loaded: from a cache while they are in use (unless it is turned off),
 * otherwise from the latest snapshot plus the events after it.
 */
@Configuration
class AccountRepositoryConfiguration {

    static final int CACHED_SNAPSHOT_THRESHOLD = 1000;
    static final int UNCACHED_SNAPSHOT_THRESHOLD = 100;

    /**
     * A cache of loaded aggregates ({@code arbor.aggregate-cache}), or none. With several command nodes and no routing
     * of commands by aggregate, a node's cached aggregate misses what other nodes appended since. A command that then
     * appends conflicts and is retried on fresh state, but one refused on the stale state (an account that is not yet
     * its child, seats not yet received) is refused wrongly. Axon evicts the entry on that rollback, so it happens
     * once per stale entry; turning the cache off rules it out.
     * <p>
     * The cache holds the {@code arbor.aggregate-cache-size} accounts used last, by strong reference. Axon's
     * {@code WeakReferenceCache} lost its entries at every garbage collection that found them, and reloading a busy
     * parent from its snapshot (thousands of children and devices) took a third of a command node's CPU under load
     * (docs/performance.md).
     */
    @Bean
    Cache accountCache(@Value("${arbor.aggregate-cache:true}") boolean enabled,
                       @Value("${arbor.aggregate-cache-size:1000}") long size, CacheManager caches) {
        if (!enabled) {
            return NoCache.INSTANCE;
        }
        return new EhCache3Adapter((Ehcache<Object, Object>) caches.createCache("accounts",
                CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class, Object.class,
                                                                       ResourcePoolsBuilder.heap(size))));
    }

    @Bean(destroyMethod = "close")
    CacheManager aggregateCaches() {
        return CacheManagerBuilder.newCacheManagerBuilder().build(true);
    }

    /**
     * A snapshot every {@code arbor.snapshot-threshold} events; unset, every {@value #CACHED_SNAPSHOT_THRESHOLD} with the
     * cache on and every {@value #UNCACHED_SNAPSHOT_THRESHOLD} with it off. A snapshot costs as much as the whole
     * aggregate (Axon's snapshotter reads the last one, applies the events since and writes it again): under a parent
     * with 15,000 children, snapshots every 100 events took a fifth of a command node's CPU (docs/performance.md).
     * With the cache on, snapshots only shorten the rare load from the store; with it off, every command loads from
     * the last snapshot, and replays the events after it.
     */
    @Bean
    SnapshotTriggerDefinition accountSnapshotTrigger(Snapshotter snapshotter, Cache accountCache,
                                                     @Value("${arbor.snapshot-threshold:#{null}}") Integer threshold) {
        boolean cached = accountCache != NoCache.INSTANCE;
        int every = threshold != null ? threshold : cached ? CACHED_SNAPSHOT_THRESHOLD : UNCACHED_SNAPSHOT_THRESHOLD;
        return new EventCountSnapshotTriggerDefinition(snapshotter, every);
    }
}
