package dev.arbor.platform.openapi;

import dev.arbor.api.common.ErrorCode;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The problem+json answers of the OpenAPI documents: one {@code Problem} schema whose {@code code} is an enum of
 * every {@link ErrorCode}, and one shared response per HTTP status, {@code #/components/responses/Problem409},
 * whose description lists the codes that status carries. An operation says which statuses it answers with
 * {@link #answers}; the statuses any request may get are added to every operation by {@link ApiDocumentation}.
 */
public final class ApiProblems {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String SCHEMA = "Problem";
    private static final String RESPONSE_PREFIX = "Problem";
    private static final String RESPONSES = "#/components/responses/";
    /** The statuses whose problems tell a client when to retry. */
    private static final Set<Integer> RETRY_AFTER = Set.of(429, 503);

    private ApiProblems() {
    }

    /** The operation may answer each of {@code statuses} with a problem (kept when it documents one already). */
    public static Operation answers(Operation operation, int... statuses) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        for (int status : statuses) {
            operation.getResponses().computeIfAbsent(String.valueOf(status),
                                                      code -> new ApiResponse().$ref(RESPONSES + RESPONSE_PREFIX + code));
        }
        return operation;
    }

    /** The statuses the responses refer to, by the name {@link #answers} gave them. */
    static int statusOf(String ref) {
        return ref != null && ref.startsWith(RESPONSES + RESPONSE_PREFIX)
               ? Integer.parseInt(ref.substring((RESPONSES + RESPONSE_PREFIX).length())) : -1;
    }

    static String responseName(int status) {
        return RESPONSE_PREFIX + status;
    }

    /** The shared response of one status: its codes, the {@code Problem} body, and {@code Retry-After} where sent. */
    static ApiResponse response(int status) {
        String codes = Arrays.stream(ErrorCode.values()).filter(code -> code.httpStatus() == status)
                             .map(code -> "`" + code.name() + "`").collect(Collectors.joining(", "));
        ApiResponse response = new ApiResponse()
                .description(codes.isEmpty() ? "A problem (RFC 9457)." : "A problem (RFC 9457) with code " + codes + ".")
                .content(new Content().addMediaType(MEDIA_TYPE, new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA))));
        if (RETRY_AFTER.contains(status)) {
            response.addHeaderObject("Retry-After", new Header()
                    .description("Whole seconds to wait before retrying.")
                    .schema(integer()));
        }
        return response;
    }

    /** RFC 9457's members as Arbor fills them, with {@code code} always and {@code errors} on invalid fields. */
    static Schema<?> schema() {
        Map<String, Schema> properties = new TreeMap<>();
        properties.put("type", string().format("uri-reference").description("about:blank unless a type is defined"));
        properties.put("title", string().description("The status's reason phrase."));
        properties.put("status", integer().description("The HTTP status, the same as the response's."));
        properties.put("detail", string().description("For people; clients switch on code, never on the detail."));
        properties.put("instance", string().format("uri-reference"));
        properties.put("code", string().description("The stable machine-readable code.")
                ._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()));
        properties.put("errors", new Schema<>().types(Set.of("array"))
                .description("With VALIDATION_FAILED: each invalid field and why.")
                .items(new Schema<>().types(Set.of("object"))
                        .addProperty("field", string()).addProperty("message", string())
                        .required(List.of("field", "message"))));
        return new Schema<>().types(Set.of("object")).properties(properties)
                .required(List.of("code", "status"))
                .example(Map.of("type", "about:blank", "title", "Conflict", "status", 409,
                                "detail", "The parent has 3 free seats; 5 were asked for.",
                                "code", ErrorCode.INSUFFICIENT_SEATS.name()));
    }

    private static Schema<String> string() {
        return new Schema<String>().types(Set.of("string"));
    }

    private static Schema<Object> integer() {
        return new Schema<>().types(Set.of("integer")).format("int32");
    }
}
