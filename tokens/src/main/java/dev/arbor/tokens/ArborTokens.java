package dev.arbor.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The bearer tokens of the embedded default, signed with the {@link SigningKey}: the platform admin's, or an Arbor
 * user's (the subject is the user id). A real identity provider issues equivalent tokens: the same audience, the
 * user id as subject, and {@value #ADMIN_CLAIM} for the admin.
 */
public final class ArborTokens {

    public static final String ISSUER = "arbor-local";
    public static final String AUDIENCE = "arbor";
    /** A boolean claim: true for the platform admin. */
    public static final String ADMIN_CLAIM = "arbor_admin";
    public static final String ADMIN_SUBJECT = "admin";

    private final RSAKey key;

    public ArborTokens(RSAKey key) {
        this.key = key;
    }

    public String admin(Duration validFor) {
        return sign(claims(ADMIN_SUBJECT, validFor).claim(ADMIN_CLAIM, true).build());
    }

    public String user(UUID userId, Duration validFor) {
        return sign(claims(userId.toString(), validFor).build());
    }

    /** Any claims, for tests of what the apps refuse (wrong audience, expired, ...). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                                          claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    public static JWTClaimsSet.Builder claims(String subject, Duration validFor) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                                         .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(validFor)))
                                         .jwtID(UUID.randomUUID().toString());
    }
}
