package dev.arbor.command.support;

import dev.arbor.platform.openapi.ApiProblems;
import dev.arbor.platform.web.DryRunFlag;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;

import java.util.Map;
import java.util.Set;

/**
 * What every command endpoint shares in the OpenAPI document, said once rather than on each controller: the
 * request headers the filters read, {@code Location} on a 201, an example result, and the answers of any command (409 for a rule or a
 * concurrent change, 412 for a stale {@code If-Match}, 429 for a caller with too many requests in progress
 * ({@code RequestAdmission}), 422 for a reused {@code Idempotency-Key} on a POST).
 */
@Configuration
class CommandOperations {

    /** What a command answers: the aggregate it changed, its version after, and the last event's position. */
    private static final Map<String, Object> RESULT_EXAMPLE = Map.of(
            "id", "0190a5f2-7c4e-7b3a-9d2e-5a1b2c3d4e5f", "version", 3, "position", 1042);

    @Bean
    OperationCustomizer commandHeadersAndAnswers() {
        return (operation, handler) -> {
            operation.addParametersItem(header("If-Match", "The version the affected account must be at, else 412"
                                                           + " VERSION_MISMATCH (an ETag, quoted or not)."));
            operation.addParametersItem(header(RequestIdFilter.HEADER, "The request's correlation id (1-128 of"
                                                                       + " A-Za-z0-9._:-), echoed back; one is made when left out."));
            operation.addParametersItem(header("X-Reason", "Why: kept as the events' reason in the audit log."));
            operation.addParametersItem(header(DryRunFlag.HEADER, "true: run every rule and answer 200 with the"
                    + " events the command would append and the resulting seat balances (DryRunResult), appending"
                    + " nothing; a refusal answers as the real command would. Anything but true or false: 400"
                    + " INVALID_DRY_RUN."));
            operation.addParametersItem(new Parameter().in("query").name(DryRunFlag.PARAMETER).required(false)
                    .description("As the " + DryRunFlag.HEADER + " header.")
                    .schema(new Schema<String>().types(Set.of("string"))._enum(java.util.List.of("true", "false"))));
            ApiProblems.answers(operation, 409, 412, 429);
            if (handler.hasMethodAnnotation(PostMapping.class)) {
                operation.addParametersItem(header(IdempotencyFilter.HEADER, "A retry with the same key and body"
                        + " answers the first response and executes nothing; another body answers 422."));
                ApiProblems.answers(operation, 422);
            }
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("2") && response.getContent() != null
                        && response.getContent().get("application/json") != null
                        && response.getContent().get("application/json").getSchema() != null
                        && String.valueOf(response.getContent().get("application/json").getSchema().get$ref())
                                 .endsWith("/CommandResult")) {
                    response.getContent().get("application/json").setExample(RESULT_EXAMPLE);
                }
            });
            if (operation.getResponses().get("201") != null) {
                operation.getResponses().get("201").addHeaderObject("Location", new Header()
                        .description("Where the created resource is read, on the query side.")
                        .schema(new Schema<String>().types(Set.of("string")).format("uri")));
            }
            return operation;
        };
    }

    private static Parameter header(String name, String description) {
        return new Parameter().in("header").name(name).required(false).description(description)
                              .schema(new Schema<String>().types(Set.of("string")));
    }
}
