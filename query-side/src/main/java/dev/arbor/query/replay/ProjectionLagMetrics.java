package dev.arbor.query.replay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code arbor_projection_lag_events{processor,segment}} and {@code arbor_projection_lag_seconds{processor,segment}}:
 * how many events each processor segment is behind the head of the event store (the {@code lag} of the processors'
 * admin status, {@link EventProcessors}), and how long ago the oldest event it has not reached was stored (0 when
 * caught up). Read once a second on a thread of its own, so a scrape reads cached values and costs no query.
 */
@Component
class ProjectionLagMetrics implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProjectionLagMetrics.class);
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private record Key(String processor, int segment) {
    }

    private record Lag(double events, double seconds) {
    }

    private final EventProcessors processors;
    private final JdbcClient jdbc;
    private final MeterRegistry registry;
    private final Map<Key, Lag> lags = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "projection-lag-metrics");
        thread.setDaemon(true);
        return thread;
    });

    ProjectionLagMetrics(EventProcessors processors, JdbcClient jdbc, MeterRegistry registry) {
        this.processors = processors;
        this.jdbc = jdbc;
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    void refresh() {
        try {
            Instant now = Instant.now();
            for (EventProcessors.ProcessorStatus processor : processors.all()) {
                for (EventProcessors.ProcessorStatus.Segment segment : processor.segments()) {
                    Key key = new Key(processor.name(), segment.segment());
                    double seconds = segment.lag() == 0 ? 0 : secondsBehind(segment.position(), now);
                    if (lags.put(key, new Lag(segment.lag(), seconds)) == null) {
                        register(key);
                    }
                }
            }
        } catch (RuntimeException unavailable) {
            // the database away, say: the gauges keep their last values until the next refresh succeeds
            log.debug("Projection lag not refreshed: {}", unavailable.toString());
        }
    }

    /** Since when the first event after {@code position} (every event for a segment not started) waits. */
    private double secondsBehind(Long position, Instant now) {
        List<String> stored = jdbc.sql("""
                        SELECT time_stamp FROM event_store.domain_event_entry WHERE global_index > ?
                         ORDER BY global_index LIMIT 1""")
                                  .param(position == null ? -1 : position).query(String.class).list();
        return stored.isEmpty() ? 0
                                : Math.max(0, Duration.between(Instant.parse(stored.get(0)), now).toMillis() / 1000.0);
    }

    private void register(Key key) {
        String segment = Integer.toString(key.segment());
        Gauge.builder("arbor.projection.lag.events", lags, all -> all.getOrDefault(key, new Lag(0, 0)).events())
             .description("events the processor segment is behind the head of the event store")
             .tags("processor", key.processor(), "segment", segment)
             .register(registry);
        Gauge.builder("arbor.projection.lag.seconds", lags, all -> all.getOrDefault(key, new Lag(0, 0)).seconds())
             .description("age of the oldest event the processor segment has not reached yet")
             .tags("processor", key.processor(), "segment", segment)
             .register(registry);
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }
}
