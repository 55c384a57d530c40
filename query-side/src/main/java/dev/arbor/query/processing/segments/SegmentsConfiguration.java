package dev.arbor.query.processing.segments;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Where the query side's processors keep their tokens ({@code read_model.token_entry}, next to the views they update,
 * so that a batch's rows and its token commit together), which node they claim segments as, and how soon a segment's
 * stored token shows where it is.
 */
@org.springframework.context.annotation.Configuration
class SegmentsConfiguration {

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                          .setTokenTable("read_model.token_entry")
                          .setProcessorNameColumn("processor_name")
                          .setSegmentColumn("segment")
                          .setTokenColumn("token")
                          .setTokenTypeColumn("token_type")
                          .setTimestampColumn("timestamp")
                          .setOwnerColumn("owner")
                          .build();
    }

    @Bean
    NodeId nodeId(@Value("${arbor.node-id:}") String configured) {
        return new NodeId(configured.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : configured);
    }

    /**
     * Axon's JDBC token store as its Spring Boot auto-configuration builds it (claim timeout from
     * {@code axon.eventhandling.tokenstore.claim-timeout}), but with the node id named, so that the
     * {@link SegmentBalancer} knows which owner in {@code token_entry} is this node; idle claims renewed every third
     * of the claim timeout ({@link ClaimRenewals}), as often as Axon's default claim extension renewed them.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          TokenStoreProperties properties, NodeId nodeId) {
        return new ClaimRenewals(JdbcTokenStore.builder()
                                               .connectionProvider(connectionProvider)
                                               .schema(tokenSchema)
                                               .serializer(serializer)
                                               .claimTimeout(properties.getClaimTimeout())
                                               .nodeId(nodeId.value())
                                               .build(),
                                 properties.getClaimTimeout().dividedBy(3));
    }

    /**
     * A segment that only passed over other segments' events (with 4 segments, three of every four events) stores its
     * new position no sooner than Axon's claim extension threshold after its last write: 5 s by default. The other
     * query nodes read that segment's position from its stored token, so a read-your-writes query on them waited up
     * to 5 s for an event long projected, and {@code verify} right after an event found segments still at -1. A short
     * threshold ({@code arbor.token-store-interval}) stores such a position within that; the idle claim extensions
     * it would also make frequent are kept rare by {@link ClaimRenewals}.
     */
    @Bean
    ConfigurerModule promptTokenStores(@Value("${arbor.token-store-interval:200ms}") Duration interval) {
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                (axon, processor) -> processor.claimExtensionThreshold(interval.toMillis()));
    }
}
