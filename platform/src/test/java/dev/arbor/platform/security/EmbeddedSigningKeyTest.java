package dev.arbor.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.arbor.tokens.ArborTokens;
import dev.arbor.tokens.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded default on an empty data directory, through the decoder both apps build at start: the signing key is
 * created there, readable by its owner only, and kept; tokens signed with it the way {@code arbor token} signs are
 * accepted, before and after a restart, and tokens of any other key are not.
 */
class EmbeddedSigningKeyTest {

    @TempDir
    Path dataDirectory;

    @Test
    void theFirstStartCreatesTheKeyWhoseTokensTheAppsAccept() throws JOSEException, IOException {
        Path keyFile = dataDirectory.resolve(SigningKey.FILE_NAME);

        JwtDecoder firstStart = new SecurityConfiguration().localKeyJwtDecoder(keyFile);

        assertThat(Files.getPosixFilePermissions(keyFile)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
        ArborTokens cli = new ArborTokens(SigningKey.load(keyFile));
        UUID user = UUID.randomUUID();
        assertThat(firstStart.decode(cli.user(user, Duration.ofMinutes(5))).getSubject()).isEqualTo(user.toString());
        String admin = cli.admin(Duration.ofMinutes(5));
        assertThat(firstStart.decode(admin).getClaimAsBoolean(ArborTokens.ADMIN_CLAIM)).isTrue();
        JwtDecoder restarted = new SecurityConfiguration().localKeyJwtDecoder(keyFile);
        assertThat(restarted.decode(admin).getSubject()).as("the key is kept").isEqualTo(ArborTokens.ADMIN_SUBJECT);
        String foreign = new ArborTokens(new RSAKeyGenerator(2048).generate()).admin(Duration.ofMinutes(5));
        assertThatThrownBy(() -> firstStart.decode(foreign)).isInstanceOf(JwtException.class);
    }
}
