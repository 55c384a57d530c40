package dev.arbor.query.processing.segments;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token store, but an idle segment's claim is renewed in the database only every {@code renewal}, however often
 * its processor asks.
 * <p>
 * Axon's pooled processor uses one threshold for two things: a segment that only passed over other segments' events
 * stores its new token no sooner than that after its last write, and an idle segment extends its claim that often.
 * Arbor sets it short ({@code arbor.token-store-interval}), so that the other query nodes, which read the segment's
 * position from its stored token, see it move at once (read-your-writes, verify); this keeps the idle claim
 * extensions, which would otherwise become a write every few hundred milliseconds for every segment, as rare as
 * Axon's default made them. Every token stored renews the claim too ({@code storeToken} writes the timestamp).
 */
final class ClaimRenewals implements TokenStore {

    private final TokenStore store;
    private final long renewalNanos;
    /** When this node last wrote each of its claims (processor and segment), as System.nanoTime(). */
    private final Map<String, Long> written = new ConcurrentHashMap<>();

    /**
     * {@code renewal} must leave room below the claim timeout: a token stored in a transaction that then rolled back
     * counts as a write here, so a claim can go up to twice {@code renewal} (and the threshold) unrenewed.
     */
    ClaimRenewals(TokenStore store, Duration renewal) {
        this.store = store;
        this.renewalNanos = renewal.toNanos();
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        Long last = written.get(key(processorName, segment));
        if (last != null && System.nanoTime() - last < renewalNanos) {
            return;
        }
        store.extendClaim(processorName, segment);
        wrote(processorName, segment);
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment)
            throws UnableToClaimTokenException {
        store.storeToken(token, processorName, segment);
        wrote(processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        TrackingToken token = store.fetchToken(processorName, segment);
        wrote(processorName, segment);
        return token;
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        TrackingToken token = store.fetchToken(processorName, segment);
        wrote(processorName, segment.getSegmentId());
        return token;
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        written.remove(key(processorName, segment));
        store.releaseClaim(processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        written.remove(key(processorName, segment));
        store.deleteToken(processorName, segment);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) {
        store.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        store.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        store.initializeSegment(token, processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return store.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return store.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return store.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
        return store.retrieveStorageIdentifier();
    }

    private void wrote(String processorName, int segment) {
        written.put(key(processorName, segment), System.nanoTime());
    }

    private static String key(String processorName, int segment) {
        return processorName + '/' + segment;
    }
}
