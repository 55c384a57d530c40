package dev.arbor.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.UUID;

/**
 * The embedded default's RSA signing key, a JWK in a file of the data directory: created at first start (readable
 * by its owner only, see {@link SecretFile}), read ever after. Both apps validate tokens with its public half;
 * {@code arbor token} signs with it.
 */
public final class SigningKey {

    public static final String FILE_NAME = "jwt-signing-key.json";

    private SigningKey() {
    }

    public static RSAKey loadOrCreate(Path file) {
        try {
            SecretFile.createIfAbsent(file, SigningKey::generate);
            return RSAKey.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the signing key " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException("The signing key " + file + " is not an RSA JWK", e);
        }
    }

    /** Reads an existing key, for tools that must not invent one (a token from a new key would be refused). */
    public static RSAKey load(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException("No signing key at " + file + ": start Arbor once (./run) to create it, "
                                                    + "or point --key-file at the data directory's " + FILE_NAME);
        }
        return loadOrCreate(file);
    }

    private static String generate() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate().toJSONString();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate an RSA key", e);
        }
    }
}
