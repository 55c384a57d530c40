package dev.arbor.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.tokens.ArborTokens;
import dev.arbor.tokens.SigningKey;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Both apps are OAuth2 resource servers: every request but health, OpenAPI and Swagger UI carries a valid JWT
 * bearer token, and the admin API (and metrics) wants the platform admin. Tokens are checked against a real
 * identity provider when Spring's {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or
 * {@code jwk-set-uri} is set, and otherwise against the embedded default's signing key in the data directory
 * ({@code arbor.security.key-file}), created at first start.
 */
@AutoConfiguration(before = {OAuth2ResourceServerAutoConfiguration.class, SecurityAutoConfiguration.class})
public class SecurityConfiguration {

    static final String ADMIN = "ADMIN";
    /** Whether tokens come from a real identity provider rather than the embedded default's key. */
    static final String IDENTITY_PROVIDER = "'${spring.security.oauth2.resourceserver.jwt.issuer-uri:}' != ''"
            + " or '${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}' != ''";

    @Bean
    SecurityFilterChain arborSecurity(HttpSecurity http, ObjectMapper json) throws Exception {
        SecurityProblems problems = new SecurityProblems(json);
        JwtAuthenticationConverter roles = new JwtAuthenticationConverter();
        roles.setJwtGrantedAuthoritiesConverter(jwt -> {
            try {
                return Caller.of(jwt) instanceof Caller.Admin ? List.of(new SimpleGrantedAuthority("ROLE_" + ADMIN))
                                                              : List.of();
            } catch (RuleViolation notACaller) {
                throw new InvalidBearerTokenException(notACaller.getMessage());
            }
        });
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/**", "/v3/api-docs/**", "/swagger-ui/**",
                                         "/swagger-ui.html", "/error").permitAll()
                        .requestMatchers("/api/v1/admin/**", "/actuator/**").hasRole(ADMIN)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(roles))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }

    /**
     * No Micrometer observation around each filter, authentication and authorization: they cost more CPU than the
     * rest of the security chain, and {@code http.server.requests}, tagged with the status, already counts the 401s
     * and 403s (docs/performance.md).
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    WebSecurityCustomizer fasterHeaderChecks() {
        return web -> web.httpFirewall(HeaderCharacters.firewall());
    }

    /** Whichever decoder checks tokens (the embedded default's or an identity provider's) remembers verified ones. */
    @Bean
    static BeanPostProcessor rememberVerifiedTokens() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof JwtDecoder decoder ? new VerifiedTokens(decoder, Clock.systemUTC()) : bean;
            }
        };
    }

    /** The embedded default: Arbor's own signing key, issuer and audience. */
    @Bean
    @ConditionalOnExpression("!(" + IDENTITY_PROVIDER + ")")
    JwtDecoder localKeyJwtDecoder(@Value("${arbor.security.key-file}") Path keyFile) throws JOSEException {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(SigningKey.loadOrCreate(keyFile).toRSAPublicKey())
                                                   .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(ArborTokens.ISSUER),
                expiryRequired(),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, audience -> audience != null
                                                                       && audience.contains(ArborTokens.AUDIENCE))));
        return decoder;
    }

    /**
     * Spring checks {@code exp} only when a token has one: a token without it would never expire. The embedded
     * default adds it to its own decoder; with an identity provider, Spring Boot adds every validator bean to the
     * decoder it builds.
     */
    @Bean
    @ConditionalOnExpression(IDENTITY_PROVIDER)
    static OAuth2TokenValidator<Jwt> expiryRequired() {
        return new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull);
    }

    /**
     * With a real identity provider, Spring checks the audience only when told which, and the issuer only when given
     * the issuer URI (a JWK set URI alone checks neither): without them, a token the provider issued for any other
     * application, or one any other issuer sharing the key set signed, would be accepted, so such a configuration
     * does not start. With both URIs set, Spring reads the keys from the JWK set URI and checks the issuer against
     * the issuer URI.
     */
    @Bean
    @ConditionalOnExpression(IDENTITY_PROVIDER)
    Object identityProviderSettingsRequired(
            @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuer,
            @Value("${spring.security.oauth2.resourceserver.jwt.audiences:}") List<String> audiences) {
        if (issuer.isBlank()) {
            throw new IllegalStateException("With an identity provider, set "
                    + "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI to the issuer (iss) of Arbor's tokens, "
                    + "also when SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI names the keys.");
        }
        // without a conversion service, an empty setting arrives as one empty string
        if (audiences.stream().allMatch(String::isBlank)) {
            throw new IllegalStateException("With an identity provider, set "
                    + "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES to the audience Arbor's tokens carry.");
        }
        return audiences;
    }
}
