package dev.arbor.platform.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The OpenAPI documents say every operation takes a JWT bearer token, so Swagger UI can send one. */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class OpenApiSecurity {

    private static final String BEARER = "bearer";

    @Bean
    OpenAPI bearerTokens() {
        return new OpenAPI()
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme(BEARER).bearerFormat("JWT")
                        .description("./arbor token --admin, or a token of your identity provider")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
