package dev.arbor.query.processing.segments;

import dev.arbor.platform.database.DatabaseUnavailable;
import jakarta.annotation.PreDestroy;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Shares each processor's segments fairly between the query nodes on one database.
 * <p>Axon 4 without Axon Server does not balance: a pooled processor claims every free segment, so the first node up
 * holds them all and the others idle. Every {@code arbor.segment-balancing.interval} each node therefore
 * <ol>
 * <li>records that it is alive (its row in {@code read_model.processor_node}, keyed by its Axon node id),</li>
 * <li>counts the live nodes: those seen within {@code arbor.segment-balancing.node-timeout}, by the database's
 * clock,</li>
 * <li>and for each running processor, when it holds more than its fair share, ceil(segments / live nodes),
 * releases the excess ({@link StreamingEventProcessor#releaseSegment}) for the other nodes to claim.</li>
 * </ol>
 * Releasing loses and repeats nothing: the segment's work package finishes its batch, whose token is stored in the
 * same transaction as its projections, before the claim is given up, and the next owner goes on from that token. A
 * released segment is not claimed back by this node for twice the processor's token claim interval.
 * <p>Nodes take free segments on their own, at the processor's token claim interval; the balancer only ever gives
 * segments away. A dead node's claims expire after Axon's claim timeout and are then taken by the others: keep the
 * node timeout below the claim timeout, so that a dead node no longer counts (and no live one gives segments away for
 * it) by the time its segments are free. Axon Server's workload balancing would replace this class.
 */
@Component
@EnableScheduling
@ConditionalOnProperty(name = "arbor.segment-balancing.enabled", havingValue = "true", matchIfMissing = true)
class SegmentBalancer {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);
    /** A node not seen for this many node timeouts has its row deleted; until then it is only not counted. */
    private static final int FORGET_AFTER_TIMEOUTS = 100;

    private final JdbcClient jdbc;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final String nodeId;
    private final Duration nodeTimeout;

    SegmentBalancer(JdbcClient jdbc, EventProcessingConfiguration processing, TokenStore tokenStore, NodeId nodeId,
                    @Value("${arbor.segment-balancing.node-timeout:6s}") Duration nodeTimeout) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.nodeId = nodeId.value();
        this.nodeTimeout = nodeTimeout;
    }

    /**
     * The segments a node gives away: those above its fair share, ceil(segments / live nodes), highest ids first
     * (any would do; the highest keeps the choice predictable). Empty when it holds no more than that.
     */
    static List<Integer> segmentsToRelease(Collection<Integer> claimed, int liveNodes, int segmentCount) {
        int fairShare = (segmentCount + Math.max(1, liveNodes) - 1) / Math.max(1, liveNodes);
        return claimed.stream().sorted(Comparator.reverseOrder())
                      .limit(Math.max(0, claimed.size() - fairShare)).toList();
    }

    @Scheduled(fixedDelayString = "${arbor.segment-balancing.interval:2s}")
    void balance() {
        try {
            int liveNodes = heartbeat();
            processing.eventProcessors().forEach((name, processor) -> {
                if (processor instanceof StreamingEventProcessor streaming && streaming.isRunning()) {
                    balance(name, streaming, liveNodes);
                }
            });
        } catch (RuntimeException failure) {
            if (!DatabaseUnavailable.explains(failure)) {
                throw failure;
            }
            // one line per attempt rather than a stack trace every interval while the database is away (Axon's token
            // store fails with its own JdbcException, not Spring's DataAccessException); the next interval tries again
            log.warn("Segment balancing skipped, the database is out of reach: {}", failure.getMessage());
        }
    }

    /**
     * Leaving: the others stop counting this node at once rather than after the node timeout. A courtesy only: when
     * the database is already out of reach the row simply ages out.
     */
    @PreDestroy
    void leave() {
        try {
            jdbc.sql("DELETE FROM read_model.processor_node WHERE node_id = ?").param(nodeId).update();
        } catch (DataAccessException unreachable) {
            log.debug("Could not remove this node's heartbeat on leaving", unreachable);
        }
    }

    /** Records that this node is alive, forgets long-gone nodes, and answers how many nodes are alive. */
    private int heartbeat() {
        jdbc.sql("""
                 INSERT INTO read_model.processor_node (node_id, last_seen) VALUES (?, now())
                 ON CONFLICT (node_id) DO UPDATE SET last_seen = now()""")
            .param(nodeId).update();
        jdbc.sql("DELETE FROM read_model.processor_node WHERE last_seen < now() - make_interval(secs => ?)")
            .param(seconds(nodeTimeout) * FORGET_AFTER_TIMEOUTS).update();
        return jdbc.sql("""
                        SELECT count(*) FROM read_model.processor_node
                         WHERE last_seen >= now() - make_interval(secs => ?)""")
                   .param(seconds(nodeTimeout))
                   .query(Integer.class).single();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private void balance(String name, StreamingEventProcessor processor, int liveNodes) {
        Collection<Integer> claimed = List.copyOf(processor.processingStatus().keySet());
        int segmentCount = tokenStore.fetchSegments(name).length;
        for (int segment : segmentsToRelease(claimed, liveNodes, segmentCount)) {
            log.info("Releasing segment {} of {} for another node: this node holds {} of {} segments, {} nodes are live",
                     segment, name, claimed.size(), segmentCount, liveNodes);
            processor.releaseSegment(segment);
        }
    }
}
