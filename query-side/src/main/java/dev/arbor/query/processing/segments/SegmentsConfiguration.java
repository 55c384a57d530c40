package dev.arbor.query.processing.segments;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

import java.lang.management.ManagementFactory;

/**
 * Where the query side's processors keep their tokens ({@code read_model.token_entry}, next to the views they update,
 * so that a batch's rows and its token commit together), and which node they claim segments as.
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
     * {@link SegmentBalancer} knows which owner in {@code token_entry} is this node.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          TokenStoreProperties properties, NodeId nodeId) {
        return JdbcTokenStore.builder()
                             .connectionProvider(connectionProvider)
                             .schema(tokenSchema)
                             .serializer(serializer)
                             .claimTimeout(properties.getClaimTimeout())
                             .nodeId(nodeId.value())
                             .build();
    }
}
