package dev.arbor.local;

import dev.arbor.tokens.ArborTokens;
import dev.arbor.tokens.SigningKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The test JVM's signing key, in a fresh temporary directory, and tokens signed with it: the same key file and the
 * same minting code as production ({@link SigningKey}, {@link ArborTokens}), so tests go through real validation.
 */
public final class TestTokens {

    private static final Duration VALIDITY = Duration.ofHours(1);
    private static Path keyFile;
    private static ArborTokens tokens;

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
}
