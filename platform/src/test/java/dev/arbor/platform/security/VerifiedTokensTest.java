package dev.arbor.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.arbor.tokens.ArborTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real tokens, signed and verified with a real key: a token is verified once, and never honoured past its time. */
class VerifiedTokensTest {

    private final RSAKey key = new RSAKeyGenerator(2048).keyID("test").generate();
    private final ArborTokens tokens = new ArborTokens(key);
    private final AtomicInteger verifications = new AtomicInteger();
    private Instant now = Instant.now();
    private final VerifiedTokens decoder;

    VerifiedTokensTest() throws JOSEException {
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
        JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);
        expiry.setClock(clock);
        nimbus.setJwtValidator(expiry);
        decoder = new VerifiedTokens(token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        }, clock);
    }

    @Test
    void aTokenSentAgainIsNotVerifiedAgain() {
        String token = tokens.admin(Duration.ofHours(1));

        assertThat(decoder.decode(token).getSubject()).isEqualTo(ArborTokens.ADMIN_SUBJECT);
        assertThat(decoder.decode(token).getSubject()).isEqualTo(ArborTokens.ADMIN_SUBJECT);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aRememberedTokenIsVerifiedAgainAfterTheMaximumAge() {
        String token = tokens.admin(Duration.ofHours(1));
        decoder.decode(token);

        now = now.plus(VerifiedTokens.MAX_AGE);
        decoder.decode(token);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRememberedTokenThatHasExpiredGoesBackToTheRealCheckAndFails() {
        String token = tokens.admin(Duration.ofSeconds(30));
        decoder.decode(token);

        now = now.plus(Duration.ofMinutes(2));

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                                                       .hasMessageContaining("expired");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aForgedTokenIsNeverRemembered() {
        String forged = tokens.admin(Duration.ofHours(1)).replaceFirst("\\.[^.]+$", ".AAAA");

        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
    }
}
