package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The committed OpenAPI documents ({@link ApiDocuments}, which {@link ApiDocumentsTest} holds to what the apps
 * serve) as a contract every answer of the system tests is checked against: {@link Http} hands each answer to
 * {@link #check}, and {@link ApiContractAfterEachClass} fails the test class that got one the documents do not
 * describe. So every system test is a contract test of the endpoints it calls.
 * <p>
 * An answer to {@code /api/...} must be of a documented operation (the method and the path's template), with a
 * documented status, a documented content type, and a body the schema of that status and type accepts (by
 * {@code com.networknt:json-schema-validator}, OpenAPI 3.1's dialect, formats asserted). A request that names no
 * documented operation must be refused as problem+json: 400 (a path spelt otherwise than the API spells it), 401,
 * 403, 404 or 405. Answers outside {@code /api/} (the actuator, the documents themselves) are Spring Boot's, not the API's.
 */
final class ApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /**
     * What a request that matches no operation may be answered: a refusal that says nothing of an operation, since
     * the path's spelling (400) and the token (401, 403 for the admin's paths) are checked before any routing.
     */
    private static final Set<Integer> NO_OPERATION = Set.of(400, 401, 403, 404, 405);
    private static final String PROBLEM = "#/components/schemas/Problem";

    private static volatile ApiContract instance;

    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, Schema> schemas = new HashMap<>();
    private final Schema problem;
    private final List<String> violations = new ArrayList<>();

    /** One operation of one document: its method, its path as a pattern, and its responses by status. */
    private record Operation(String document, String method, String template, Pattern path, int parameters,
                             Map<String, Map<String, String>> responses) {

        String name() {
            return method.toUpperCase(Locale.ROOT) + " " + template + " (" + document + ")";
        }
    }

    ApiContract(Map<String, JsonNode> documents) {
        Map<String, String> sources = new HashMap<>();
        Map<String, List<String>> locations = new HashMap<>();
        documents.forEach((name, document) -> {
            String base = "https://arbor.invalid/openapi/" + name;
            // Each response schema is copied to a place a plain JSON pointer names (paths hold '{', '}' and '/'),
            // in the document itself, so that its $refs to #/components still resolve.
            ObjectNode root = document.deepCopy();
            ArrayNode copies = root.putArray("x-checked-schemas");
            document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                if (!METHODS.contains(op.getKey())) {
                    return;
                }
                Map<String, Map<String, String>> responses = new HashMap<>();
                op.getValue().path("responses").fields().forEachRemaining(response -> {
                    JsonNode answer = resolve(document, response.getValue());
                    Map<String, String> byType = new HashMap<>();
                    answer.path("content").fields().forEachRemaining(content -> {
                        JsonNode schema = content.getValue().get("schema");
                        String location = null;
                        if (schema != null) {
                            copies.add(schema);
                            location = base + "#/x-checked-schemas/" + (copies.size() - 1);
                            locations.computeIfAbsent(name, n -> new ArrayList<>()).add(location);
                        }
                        byType.put(content.getKey(), location);
                    });
                    responses.put(response.getKey(), byType);
                });
                operations.add(new Operation(name, op.getKey(), path.getKey(), template(path.getKey()),
                                             path.getKey().split("\\{", -1).length - 1, responses));
            }));
            root.set("x-problem", JSON.createObjectNode().put("$ref", PROBLEM));
            sources.put(base, root.toString());
        });
        // the most literal template first: /accounts/{id}/seat-tokens/redeem before anything with more parameters
        operations.sort(Comparator.comparingInt(Operation::parameters));
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                                                                    builder -> builder.schemas(sources));
        locations.values().stream().flatMap(List::stream)
                 .forEach(location -> schemas.put(location, registry.getSchema(SchemaLocation.of(location))));
        String anyDocument = sources.keySet().iterator().next();
        this.problem = registry.getSchema(SchemaLocation.of(anyDocument + "#/x-problem"));
    }

    /** The committed documents, read once per test JVM. */
    static ApiContract get() {
        if (instance == null) {
            synchronized (ApiContract.class) {
                if (instance == null) {
                    Map<String, JsonNode> documents = new HashMap<>();
                    for (ApiDocuments document : ApiDocuments.values()) {
                        documents.put(document.file().getFileName().toString(), document.committed());
                    }
                    instance = new ApiContract(documents);
                }
            }
        }
        return instance;
    }

    /** A {@code $ref} to {@code #/components/responses/...} replaced by what it names. */
    private static JsonNode resolve(JsonNode document, JsonNode response) {
        JsonNode ref = response.get("$ref");
        return ref == null ? response : document.at(ref.asText().substring(1));
    }

    private static Pattern template(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** Checks one answer; what the documents do not describe is kept for {@link #takeViolations}. */
    void check(String method, URI uri, int status, String contentType, String body) {
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/api/")) {
            return;
        }
        List<String> wrong = violations(method.toLowerCase(Locale.ROOT), path, status, mediaType(contentType), body);
        if (!wrong.isEmpty()) {
            String answer = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                            + " -> " + status + " " + contentType + ": " + abbreviated(body);
            synchronized (violations) {
                violations.add(answer + "\n    " + String.join("\n    ", wrong));
            }
        }
    }

    /** The violations kept since the last call, which forgets them. */
    List<String> takeViolations() {
        synchronized (violations) {
            List<String> taken = List.copyOf(violations);
            violations.clear();
            return taken;
        }
    }

    private List<String> violations(String method, String path, int status, String mediaType, String body) {
        List<Operation> atPath = operations.stream().filter(op -> op.path().matcher(path).matches()).toList();
        Optional<Operation> operation = atPath.stream().filter(op -> op.method().equals(method)).findFirst();
        if (operation.isEmpty()) {
            if (!NO_OPERATION.contains(status)) {
                return List.of("no documented operation is " + method.toUpperCase(Locale.ROOT) + " " + path
                               + " (documented at that path: " + atPath.stream().map(Operation::name).toList()
                               + "), yet it was answered " + status);
            }
            return validate(problem, "application/problem+json".equals(mediaType) ? body : null, "the refusal");
        }
        Operation op = operation.get();
        Map<String, String> byType = op.responses().get(String.valueOf(status));
        if (byType == null) {
            byType = op.responses().get("default");
        }
        if (byType == null) {
            return List.of(op.name() + " documents no status " + status + " (it documents "
                           + op.responses().keySet().stream().sorted().toList() + ")");
        }
        if (body == null || body.isEmpty()) {
            return byType.isEmpty() || mediaType == null ? List.of()
                   : List.of(op.name() + " " + status + " has an empty body, documented as " + byType.keySet());
        }
        if (!byType.containsKey(mediaType)) {
            return List.of(op.name() + " " + status + " documents content " + byType.keySet() + ", not " + mediaType);
        }
        String location = byType.get(mediaType);
        return location == null ? List.of() : validate(schemas.get(location), body, op.name() + " " + status);
    }

    private static List<String> validate(Schema schema, String body, String what) {
        if (body == null) {
            return List.of(what + " is not problem+json");
        }
        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (IOException notJson) {
            return List.of(what + ": the body is not JSON");
        }
        List<Error> errors = schema.validate(instance, context -> context.executionConfig(
                config -> config.formatAssertionsEnabled(true)));
        return errors.stream().map(error -> what + ": " + error).collect(Collectors.toList());
    }

    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static String abbreviated(String body) {
        return body == null || body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
