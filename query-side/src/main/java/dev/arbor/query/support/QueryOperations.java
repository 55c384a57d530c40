package dev.arbor.query.support;

import dev.arbor.platform.openapi.ApiProblems;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import java.util.Set;

/**
 * What the query side's operations share in the OpenAPI document, said once: the read-your-writes headers of every
 * read, and the answers particular to some (422 {@code TREE_TOO_LARGE} and 429 where {@code asOf} rebuilds an
 * organization, which only {@code /tree} and the account's read take, 409 for an operator's action while another runs).
 */
@Configuration
class QueryOperations {

    private static final String AS_OF = "asOf";

    @Bean
    OperationCustomizer queryHeadersAndAnswers() {
        return (operation, handler) -> {
            if (handler.hasMethodAnnotation(GetMapping.class)) {
                operation.addParametersItem(header("Arbor-Min-Position", "integer", "Wait until the read model has"
                        + " processed this event position (a command's `position`) before answering."));
                operation.addParametersItem(header("Arbor-Max-Wait", "integer", "How long to wait for"
                        + " Arbor-Min-Position, in milliseconds; past it the answer is stale (Arbor-Stale)."));
                operation.getResponses().values().forEach(response -> {
                    if (response.get$ref() == null) {
                        response.addHeaderObject("Arbor-Stale", new Header().description("Present when the read"
                                + " model had not reached Arbor-Min-Position in time.")
                                .schema(new Schema<String>().types(Set.of("string"))));
                    }
                });
            }
            if (takes(operation, AS_OF)) {
                ApiProblems.answers(operation, 422, 429);
            }
            if (handler.hasMethodAnnotation(PostMapping.class)) {
                ApiProblems.answers(operation, 409);
            }
            return operation;
        };
    }

    private static boolean takes(Operation operation, String parameter) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> parameter.equals(p.getName()) && "query".equals(p.getIn()));
    }

    private static Parameter header(String name, String type, String description) {
        return new Parameter().in("header").name(name).required(false).description(description)
                              .schema(new Schema<>().types(Set.of(type)));
    }
}
