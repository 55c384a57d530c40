package dev.arbor.query.processing.segments;

import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** An idle segment's claim reaches the store only once per renewal, however often the processor extends it. */
class ClaimRenewalsTest {

    private static final String PROCESSOR = "accounts";

    /** Axon's in-memory store, counting the claim extensions that reach it. */
    private static final class CountingStore extends InMemoryTokenStore {
        final AtomicInteger extensions = new AtomicInteger();

        @Override
        public void extendClaim(String processorName, int segment) {
            extensions.incrementAndGet();
            super.extendClaim(processorName, segment);
        }
    }

    private final CountingStore store = new CountingStore();

    @Test
    void extensionsSoonAfterAClaimOrAStoredTokenDoNotReachTheStore() {
        ClaimRenewals renewals = claimed(Duration.ofMinutes(1), 2);

        renewals.extendClaim(PROCESSOR, 0);
        renewals.storeToken(new GlobalSequenceTrackingToken(5), PROCESSOR, 1);
        renewals.extendClaim(PROCESSOR, 1);

        assertThat(store.extensions).hasValue(0);
        assertThat(store.fetchToken(PROCESSOR, 1)).isEqualTo(new GlobalSequenceTrackingToken(5));
    }

    @Test
    void anExtensionOnceTheRenewalIsDueReachesTheStore() throws InterruptedException {
        ClaimRenewals renewals = claimed(Duration.ofMillis(50), 1);

        Thread.sleep(60);
        renewals.extendClaim(PROCESSOR, 0);
        renewals.extendClaim(PROCESSOR, 0);

        assertThat(store.extensions).as("the first renews, the second comes too soon after it").hasValue(1);
    }

    @Test
    void aClaimNotWrittenByThisNodeIsExtendedAtOnce() {
        ClaimRenewals renewals = claimed(Duration.ofMinutes(1), 1);
        renewals.releaseClaim(PROCESSOR, 0);
        store.fetchToken(PROCESSOR, 0);

        renewals.extendClaim(PROCESSOR, 0);

        assertThat(store.extensions).hasValue(1);
    }

    /** The store with {@code segments} segments, each claimed through the renewals. */
    private ClaimRenewals claimed(Duration renewal, int segments) {
        ClaimRenewals renewals = new ClaimRenewals(store, renewal);
        renewals.initializeTokenSegments(PROCESSOR, segments);
        for (int segment = 0; segment < segments; segment++) {
            renewals.fetchToken(PROCESSOR, segment);
        }
        return renewals;
    }
}
