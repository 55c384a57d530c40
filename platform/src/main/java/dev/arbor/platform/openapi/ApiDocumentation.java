package dev.arbor.platform.openapi;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What both apps' OpenAPI documents share, so that each describes what it serves without an annotation on every
 * controller: the bearer tokens every operation takes, the problem+json answers every operation may give
 * ({@link ApiProblems}), and nullable fields said to be nullable. Each app adds the answers of its own operations
 * with an {@code OperationCustomizer} of its own.
 */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class ApiDocumentation {

    private static final String BEARER = "bearer";

    /**
     * The answers any request may get, whichever operation it names: a malformed or non-canonical request (400),
     * no or a bad token (401), a caller not allowed (403), an id not found (404), a body that came late, without a
     * length, too large or where none is taken (408, 411, 413, 415), a failure (500), and the database away or the
     * node full (503).
     */
    static final int[] ANY_REQUEST = {400, 401, 403, 404, 408, 411, 413, 415, 500, 503};

    @Bean
    OpenAPI arborOpenApi(@Value("${arbor.openapi.title}") String title,
                         @Value("${arbor.openapi.description}") String description,
                         @Value("${arbor.openapi.server-url}") String serverUrl) {
        return new OpenAPI()
                .info(new Info().title(title).description(description).version("v1"))
                // fixed, not the request's own host: the committed documents must not change with the port
                .addServersItem(new Server().url(serverUrl).description("the default of ./run"))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme(BEARER).bearerFormat("JWT")
                        .description("./arbor token --admin, or a token of your identity provider")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Every operation answers problems: the statuses of {@link #ANY_REQUEST}, and those it added itself. */
    @Bean
    OpenApiCustomizer problemAnswers() {
        return openApi -> {
            Set<Integer> statuses = new TreeSet<>();
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                ApiProblems.answers(operation, ANY_REQUEST);
                operation.getResponses().values().stream().map(ApiResponse::get$ref).map(ApiProblems::statusOf)
                         .filter(status -> status > 0).forEach(statuses::add);
            }));
            Components components = openApi.getComponents();
            // Spring's ProblemDetail, which springdoc finds in the exception handlers, is what Problem describes
            if (components.getSchemas() != null) {
                components.getSchemas().remove("ProblemDetail");
            }
            components.addSchemas(ApiProblems.SCHEMA, ApiProblems.schema());
            statuses.forEach(status -> components.addResponses(ApiProblems.responseName(status),
                                                                ApiProblems.response(status)));
            sortResponses(openApi);
            tagByResource(openApi);
        };
    }

    /** What each resource's tag says, by the path segment after {@code /api/v1/}. */
    private static final Map<String, String> RESOURCES = Map.of(
            "accounts", "Hierarchical accounts: their details, seats, limits, usage, configuration and lifecycle.",
            "users", "Users of an account: their status, permissions and account.",
            "devices", "Devices registered in an account, each holding one of its seats.",
            "seat-tokens", "Seats issued as a secret token, redeemed once into an account.",
            "me", "The caller: its user, account and permissions.",
            "audit", "The audit log across accounts.",
            "admin", "The platform admin's control of the event processors and the read model.");

    /**
     * Each operation is tagged with the resource its path names ({@code accounts}, {@code admin}, ...), which the
     * document lists with a description, rather than with springdoc's name of its controller class.
     */
    private static void tagByResource(OpenAPI openApi) {
        Set<String> used = new TreeSet<>();
        openApi.getPaths().forEach((path, item) -> {
            String[] segments = path.split("/");
            String resource = segments.length > 3 ? segments[3] : path;
            used.add(resource);
            item.readOperations().forEach(operation -> operation.setTags(List.of(resource)));
        });
        openApi.setTags(used.stream().map(resource -> new Tag().name(resource).description(
                RESOURCES.getOrDefault(resource, "The endpoints under /api/v1/" + resource + "."))).toList());
    }

    /** Responses in status order, as a reader looks for them (springdoc keeps the order they were added in). */
    private static void sortResponses(OpenAPI openApi) {
        openApi.getPaths().values().forEach(path -> path.readOperations().stream().map(Operation::getResponses)
                .forEach(responses -> {
                    Map<String, ApiResponse> sorted = new TreeMap<>(responses);
                    responses.clear();
                    responses.putAll(sorted);
                }));
    }

    /**
     * Jackson writes every field of Arbor's records, null ones as null: a field of a reference type is nullable
     * unless it is {@code @NotNull} (or {@code @NotBlank},
     * {@code @NotEmpty}). Primitives never are. A nested record ({@code $ref}) is said to be nullable with an
     * {@code anyOf} of it and null.
     */
    @Bean
    PropertyCustomizer nullableReferences() {
        return (property, type) -> {
            // an enum's null would have to be one of its values too; Arbor's enum fields are never null
            if (property == null || property.getEnum() != null || isPrimitive(type) || notNull(type)) {
                return property;
            }
            if (property.get$ref() != null) {
                return new Schema<>().anyOf(List.of(property, new Schema<>().types(Set.of("null"))));
            }
            Set<String> types = property.getTypes();
            if (types != null && !types.isEmpty() && !types.contains("null")) {
                Set<String> nullable = new LinkedHashSet<>(types);
                nullable.add("null");
                property.setTypes(nullable);
            }
            return property;
        };
    }

    private static boolean isPrimitive(AnnotatedType type) {
        return type.getType() instanceof Class<?> raw ? raw.isPrimitive()
                                                      : type.getType() instanceof JavaType java && java.isPrimitive();
    }

    private static boolean notNull(AnnotatedType type) {
        Annotation[] annotations = type.getCtxAnnotations();
        return annotations != null && Arrays.stream(annotations).filter(Objects::nonNull)
                                            .anyMatch(annotation -> annotation instanceof NotNull
                                                                    || annotation instanceof NotBlank
                                                                    || annotation instanceof NotEmpty);
    }
}
