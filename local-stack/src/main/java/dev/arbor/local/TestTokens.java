package dev.arbor.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.arbor.tokens.ArborTokens;
import dev.arbor.tokens.SigningKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The test JVM's signing key, in a fresh temporary directory, and tokens signed with it: the same key file and the
 * same minting code as production ({@link SigningKey}, {@link ArborTokens}), so tests go through real validation.
 */
public final class TestTokens {

    private static final Duration VALIDITY = Duration.ofHours(1);
    private static Path keyFile;
    private static ArborTokens tokens;
    private static ArborTokens forger;

    private TestTokens() {
    }

    public static synchronized Path keyFile() {
        if (keyFile == null) {
            try {
                keyFile = Files.createTempDirectory("arbor-test-key").resolve(SigningKey.FILE_NAME);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tokens = new ArborTokens(SigningKey.loadOrCreate(keyFile));
        }
        return keyFile;
    }

    public static ArborTokens tokens() {
        keyFile();
        return tokens;
    }

    public static String admin() {
        return tokens().admin(VALIDITY);
    }

    public static String user(UUID userId) {
        return tokens().user(userId, VALIDITY);
    }

    /** A well-formed admin token signed with a key Arbor does not know. */
    public static synchronized String forged() {
        if (forger == null) {
            try {
                forger = new ArborTokens(new RSAKeyGenerator(2048).keyID("forger").generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
        return forger.admin(VALIDITY);
    }

    /**
     * Bearer tokens both apps must refuse with 401, by what is wrong with them: all but the forged one and the
     * garbage are signed with the test key, and each would be the admin's (or a user's) but for its flaw.
     */
    public static Map<String, String> refused() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("expired", tokens().sign(admin(
                ArborTokens.claims(ArborTokens.ADMIN_SUBJECT, Duration.ofMinutes(-5)))));
        refused.put("for another audience", tokens().sign(admin(
                ArborTokens.claims(ArborTokens.ADMIN_SUBJECT, VALIDITY).audience("someone-else"))));
        refused.put("without an expiry", tokens().sign(admin(
                ArborTokens.claims(ArborTokens.ADMIN_SUBJECT, VALIDITY).expirationTime(null))));
        refused.put("whose subject is not a user id",
                    tokens().sign(ArborTokens.claims("not-a-uuid", VALIDITY).build()));
        refused.put("forged", forged());
        refused.put("garbage", "garbage");
        return refused;
    }

    private static JWTClaimsSet admin(JWTClaimsSet.Builder claims) {
        return claims.claim(ArborTokens.ADMIN_CLAIM, true).build();
    }
}
