package dev.arbor.platform.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens already verified, so that a client sending the same bearer token request after request pays for
 * its signature check and claim validation once, not every time: on a busy command side, decoding and verifying the
 * JWT was the largest single cost of a request. A remembered token is answered only while it has not expired and for
 * at most {@link #MAX_AGE} after its check (so a key withdrawn at the identity provider stops being honoured within
 * that time); anything else goes to the real decoder. The memory is bounded: past {@link #CAPACITY} tokens it starts
 * over.
 */
final class VerifiedTokens implements JwtDecoder {

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final int CAPACITY = 10_000;

    private record Verified(Jwt jwt, Instant until) {
    }

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    VerifiedTokens(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null && now.isBefore(known.until())) {
            return known.jwt();
        }
        Jwt jwt = decoder.decode(token);
        if (verified.size() >= CAPACITY) {
            verified.clear();
        }
        Instant until = now.plus(MAX_AGE);
        if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isBefore(until)) {
            until = jwt.getExpiresAt();
        }
        verified.put(token, new Verified(jwt, until));
        return jwt;
    }
}
