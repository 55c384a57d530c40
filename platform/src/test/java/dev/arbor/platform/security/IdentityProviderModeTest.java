package dev.arbor.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.arbor.tokens.ArborTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Identity-provider mode as both apps configure it, against a real JWK set served over HTTP: the configuration needs
 * the issuer and the audience (a JWK set URI alone does not start), and a token the provider's key signed is refused
 * when it comes from another issuer, is for another audience, or has no expiry.
 */
class IdentityProviderModeTest {

    private static final String ISSUER = "https://idp.example.test/realms/arbor";
    private static RSAKey key;
    private static HttpServer provider;
    private static String jwkSetUri;

    private final WebApplicationContextRunner app = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(SecurityConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
                                  SecurityAutoConfiguration.class, JacksonAutoConfiguration.class,
                                  WebMvcAutoConfiguration.class));

    @BeforeAll
    static void startProvider() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("idp-key").generate();
        byte[] keys = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/keys", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keys.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(keys);
            }
        });
        provider.start();
        jwkSetUri = "http://localhost:" + provider.getAddress().getPort() + "/keys";
    }

    @AfterAll
    static void stopProvider() {
        provider.stop(0);
    }

    @Test
    void aJwkSetUriWithoutAnIssuerDoesNotStart() {
        app.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + jwkSetUri,
                               "spring.security.oauth2.resourceserver.jwt.audiences=arbor")
           .run(context -> assertThat(context).hasFailed().getFailure()
                                              .hasStackTraceContaining("JWT_ISSUER_URI"));
    }

    @Test
    void anIssuerWithoutAnAudienceDoesNotStart() {
        app.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + jwkSetUri,
                               "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER)
           .run(context -> assertThat(context).hasFailed().getFailure()
                                              .hasStackTraceContaining("JWT_AUDIENCES"));
    }

    @Test
    void tokensNeedTheIssuerTheAudienceAndAnExpiry() {
        app.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + jwkSetUri,
                               "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER,
                               "spring.security.oauth2.resourceserver.jwt.audiences=arbor")
           .run(context -> {
               assertThat(context).hasNotFailed();
               JwtDecoder decoder = context.getBean(JwtDecoder.class);
               ArborTokens idp = new ArborTokens(key);
               String user = UUID.randomUUID().toString();

               assertThat(decoder.decode(idp.sign(claims(user).build())).getSubject()).isEqualTo(user);
               assertThatThrownBy(() -> decoder.decode(idp.sign(claims(user).issuer("https://elsewhere").build())))
                       .as("another issuer").isInstanceOf(JwtValidationException.class);
               assertThatThrownBy(() -> decoder.decode(idp.sign(claims(user).audience("another-app").build())))
                       .as("another audience").isInstanceOf(JwtValidationException.class);
               assertThatThrownBy(() -> decoder.decode(idp.sign(claims(user).expirationTime(null).build())))
                       .as("no expiry").isInstanceOf(JwtValidationException.class);
           });
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return ArborTokens.claims(subject, Duration.ofMinutes(5)).issuer(ISSUER);
    }
}
