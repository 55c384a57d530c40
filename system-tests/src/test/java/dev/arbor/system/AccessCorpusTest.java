package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access corpus (issue 18): every endpoint of both apps, read from their OpenAPI documents so that an endpoint
 * added later is walked without editing this test, called by a user confined to one subtree (with every permission)
 * with each id it sends, in the path, the query or the body, pointed at another organization's rows, and with its
 * path spelt every other way (an encoded letter, {@code //}, a trailing slash, another case, a {@code ;} parameter).
 * No answer may be a success, and none may carry a byte of the other organization's rows: their names, emails,
 * serials, or an id the request did not itself send. On the query side, a foreign id must answer exactly as an id
 * that names nothing.
 */
class AccessCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private final RunningArbor arbor = RunningArbor.get();
    private final Commands admin = new Commands(arbor.commandSide);
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    /** Org A: the confined user's account {@code home}, a child of it, another user and a device in that child. */
    private Rows own;
    /** Org B: rows the confined user must never reach, nor learn a byte of. */
    private Rows foreign;
    /** Text found only in org B's rows. */
    private List<String> foreignText;
    private String user;
    private final List<String> findings = new ArrayList<>();

    /** The ids of one organization's rows, and text that appears nowhere else. */
    private record Rows(String root, String account, String user, String device) {

        List<String> ids() {
            return List.of(root, account, user, device);
        }
    }

    /** One operation of an app's OpenAPI document. */
    private record Operation(URI app, String method, String template, JsonNode parameters, JsonNode body) {

        List<String> pathParameters() {
            return parameters("path");
        }

        List<String> queryParameters() {
            return parameters("query");
        }

        private List<String> parameters(String in) {
            List<String> names = new ArrayList<>();
            parameters.forEach(p -> {
                if (in.equals(p.path("in").asText())) {
                    names.add(p.get("name").asText());
                }
            });
            return names;
        }

        JsonNode parameterSchema(String name) {
            for (JsonNode p : parameters) {
                if (name.equals(p.get("name").asText())) {
                    return p.path("schema");
                }
            }
            return JsonNodeFactory.instance.objectNode();
        }

        String describe() {
            return method.toUpperCase(Locale.ROOT) + " " + template;
        }
    }

    @BeforeEach
    void twoOrganizations() {
        String rootA = admin.create("/api/v1/accounts", account("Own-" + tag, 10));
        String home = admin.create("/api/v1/accounts/" + rootA + "/children", account("Home-" + tag, 6));
        String child = admin.create("/api/v1/accounts/" + home + "/children", account("OwnChild-" + tag, 3));
        user = admin.create("/api/v1/accounts/" + home + "/users", person("own-" + tag));
        admin.send("POST", "/api/v1/users/" + user + "/permissions",
                   "{\"grant\": [\"ACCOUNTS_ADD\", \"ACCOUNTS_EDIT\", \"ACCOUNTS_DELETE\", \"SEATS_MANAGE\","
                   + " \"LIMITS_MANAGE\", \"USERS_MANAGE\", \"DEVICES_MANAGE\"]}");
        String ownUser = admin.create("/api/v1/accounts/" + child + "/users", person("colleague-" + tag));
        own = new Rows(home, child, ownUser, device(child, "OWN-" + tag));

        String rootB = admin.create("/api/v1/accounts", account("ForeignRoot-" + tag, 10));
        String childB = admin.create("/api/v1/accounts/" + rootB + "/children", account("ForeignChild-" + tag, 3));
        String userB = admin.create("/api/v1/accounts/" + childB + "/users", person("foreign-" + tag));
        foreign = new Rows(rootB, childB, userB, device(childB, "FOREIGN-" + tag));
        foreignText = List.of("ForeignRoot-" + tag, "ForeignChild-" + tag, "foreign-" + tag, "FOREIGN-" + tag,
                              "ext-ForeignRoot-" + tag);
        Http.getAfter(arbor.querySide, "/api/v1/users/" + user, admin.lastPosition(), 10_000);
    }

    @Test
    void noEndpointOfEitherAppAnswersOutsideTheCallersSubtree() {
        List<Operation> operations = new ArrayList<>(operations(arbor.querySide));
        operations.addAll(operations(arbor.commandSide));
        assertThat(operations).as("both documents list their endpoints")
                              .extracting(Operation::template)
                              .contains("/api/v1/accounts/{id}", "/api/v1/accounts/{id}/tree", "/api/v1/audit",
                                        "/api/v1/users/{id}", "/api/v1/accounts/{id}/move",
                                        "/api/v1/users/{userId}/change-account");
        int requests = 0;
        for (Operation operation : operations) {
            requests += walk(operation);
        }
        System.out.println("Access corpus: " + operations.size() + " operations, " + requests + " requests");
        assertThat(findings).as("answers that reach outside the subtree, of " + requests + " requests").isEmpty();
        assertThat(requests).isGreaterThan(20 * operations.size());
    }

    /**
     * The same walk's requests, with the ids of the caller's own subtree, succeed on the query side: the shapes the
     * corpus sends are right, so the refusals above are the scope's and not a malformed request's.
     */
    @Test
    void theSameRequestsInsideTheSubtreeAreAnswered() {
        for (Operation operation : operations(arbor.querySide)) {
            if (operation.method().equals("get") && operation.template().startsWith("/api/")
                && !operation.template().startsWith("/api/v1/admin")) {
                String path = fill(operation.template(), name -> own(operation.template(), name));
                Http.Text answer = Http.exchange(operation.app(), "GET", path, null, token());
                assertThat(answer.status()).as(operation.describe() + " as " + path + ": " + answer.body())
                                           .isEqualTo(200);
            }
        }
    }

    /**
     * Sends every variant of one operation; answers how many requests it sent. An operation whose path names no row
     * (a search, the audit log) lists rows by filters: pointed at org B, it may answer only an empty page.
     */
    private int walk(Operation operation) {
        boolean namesRows = !operation.pathParameters().isEmpty() || !idFields(operation).isEmpty();
        String ownPath = fill(operation.template(), name -> own(operation.template(), name));
        int sent = 0;
        for (String value : foreign.ids()) {
            String path = fill(operation.template(), name -> value);
            String body = body(operation, field -> value);
            if (namesRows) {
                sent += check(operation, path, body, value, false);
            }
            if (namesRows || !operation.queryParameters().isEmpty()) {
                sent += check(operation, path + query(operation, value), body, value, !namesRows);
            }
            for (String variant : spellings(path)) {
                sent += check(operation, variant, body, value, false);
            }
            for (String parameter : operation.queryParameters()) {
                String pointed = foreignValue(operation, parameter, value);
                if (pointed != null && pointed.contains(value)) {
                    sent += check(operation, ownPath + "?" + parameter + "=" + encode(pointed),
                                  body(operation, field -> own.account()), value, operation.pathParameters().isEmpty());
                }
            }
            for (String field : idFields(operation)) {
                sent += check(operation, ownPath, body(operation, name -> name.equals(field) ? value : own.account()),
                              value, false);
            }
            if (operation.method().equals("get") && operation.app().equals(arbor.querySide)
                && !operation.pathParameters().isEmpty()) {
                sameAsNothing(operation, path, fill(operation.template(), name -> UUID.randomUUID().toString()));
            }
        }
        return sent;
    }

    /**
     * Sends one request as the confined user; records it if it succeeded (but for an empty page, when
     * {@code emptyPage} allows one) or shows a byte of org B.
     */
    private int check(Operation operation, String path, String body, String sentId, boolean emptyPage) {
        Http.Text answer = Http.exchange(operation.app(), operation.method().toUpperCase(Locale.ROOT), path, body,
                                         token());
        String what = operation.describe() + " as " + operation.method().toUpperCase(Locale.ROOT) + " " + path
                      + (body == null ? "" : " " + body) + " -> " + answer.status() + " " + answer.body();
        boolean refused = answer.status() >= 400 && answer.status() < 500;
        if (!refused && !(emptyPage && answer.status() == 200 && emptyPage(answer))) {
            findings.add("not refused: " + what);
        }
        String text = answer.body() == null ? "" : answer.body();
        for (String secret : foreignText) {
            if (text.contains(secret)) {
                findings.add("shows '" + secret + "': " + what);
            }
        }
        for (String id : foreign.ids()) {
            if (text.contains(id) && !id.equals(sentId)) {
                findings.add("shows foreign id " + id + ": " + what);
            }
        }
        return 1;
    }

    private static boolean emptyPage(Http.Text answer) {
        try {
            JsonNode items = JSON.readTree(answer.body()).get("items");
            return items != null && items.isArray() && items.isEmpty();
        } catch (java.io.IOException notJson) {
            return false;
        }
    }

    /** A foreign id must be indistinguishable from one that names nothing: same status, same code. */
    private void sameAsNothing(Operation operation, String foreignPath, String nothingPath) {
        Http.Text foreignAnswer = Http.exchange(operation.app(), "GET", foreignPath, null, token());
        Http.Text nothing = Http.exchange(operation.app(), "GET", nothingPath, null, token());
        if (foreignAnswer.status() != nothing.status() || !code(foreignAnswer).equals(code(nothing))) {
            findings.add("tells a foreign id from none: " + operation.describe() + ": " + foreignAnswer.status() + " "
                         + code(foreignAnswer) + " vs " + nothing.status() + " " + code(nothing));
        }
    }

    /** The path spelt every way that is not its own, each of which must be refused. */
    private static List<String> spellings(String path) {
        int second = path.indexOf('/', 1);
        String first = second < 0 ? path : path.substring(0, second);
        String rest = second < 0 ? "" : path.substring(second);
        int lastSlash = path.lastIndexOf('/');
        return List.of(
                "/" + encodeFirstLetter(path.substring(1)),
                path.substring(0, lastSlash + 1) + encodeFirstLetter(path.substring(lastSlash + 1)),
                "/" + path,
                first + "/" + rest,
                path + "/",
                path.toUpperCase(Locale.ROOT),
                "/" + Character.toUpperCase(path.charAt(1)) + path.substring(2),
                first + ";v=1" + rest,
                path + ";jsessionid=1",
                "/." + path,
                "/x/.." + path);
    }

    private static String encodeFirstLetter(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isLetter(c)) {
                return segment.substring(0, i) + String.format("%%%02X", (int) c) + segment.substring(i + 1);
            }
        }
        return segment;
    }

    /** Every query parameter set: ids to {@code foreignId}, the rest to a value that passes validation. */
    private String query(Operation operation, String foreignId) {
        StringBuilder query = new StringBuilder();
        for (String parameter : operation.queryParameters()) {
            query.append(query.isEmpty() ? "?" : "&").append(parameter).append('=')
                 .append(encode(foreignValue(operation, parameter, foreignId)));
        }
        return query.toString();
    }

    /** A value of the parameter that points at {@code foreignId}, or is harmless when the parameter names no row. */
    private static String foreignValue(Operation operation, String parameter, String foreignId) {
        JsonNode schema = operation.parameterSchema(parameter);
        return switch (parameter) {
            case "filter" -> "rootId==" + foreignId + ",parentId==" + foreignId;
            case "actor" -> foreignId;
            case "sort" -> "name,asc";
            case "cursor" -> null;
            default -> switch (schema.path("type").asText()) {
                case "integer", "number" -> "1";
                case "boolean" -> "true";
                default -> "date-time".equals(schema.path("format").asText()) ? Instant.now().toString() : foreignId;
            };
        };
    }

    /** The names of the body's fields that hold ids (format uuid). */
    private List<String> idFields(Operation operation) {
        List<String> fields = new ArrayList<>();
        if (operation.body() != null) {
            operation.body().path("properties").fields().forEachRemaining(field -> {
                if ("uuid".equals(resolve(operation.app(), field.getValue()).path("format").asText())) {
                    fields.add(field.getKey());
                }
            });
        }
        return fields;
    }

    /** A valid body for the operation (null when it takes none), with {@code ids} choosing each id field's value. */
    private String body(Operation operation, Function<String, String> ids) {
        if (operation.body() == null) {
            return null;
        }
        return value(operation.app(), operation.body(), "body", ids).toString();
    }

    private JsonNode value(URI app, JsonNode schemaOrRef, String name, Function<String, String> ids) {
        JsonNode schema = resolve(app, schemaOrRef);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        return switch (schema.path("type").asText("object")) {
            case "object" -> {
                ObjectNode object = nodes.objectNode();
                schema.path("properties").fields().forEachRemaining(
                        field -> object.set(field.getKey(), value(app, field.getValue(), field.getKey(), ids)));
                yield object;
            }
            case "array" -> {
                ArrayNode array = nodes.arrayNode();
                array.add(value(app, schema.path("items"), name, ids));
                yield array;
            }
            case "integer", "number" -> nodes.numberNode(1);
            case "boolean" -> nodes.booleanNode(false);
            default -> switch (schema.path("format").asText()) {
                case "uuid" -> nodes.textNode(ids.apply(name));
                case "date-time" -> nodes.textNode(Instant.now().toString());
                default -> nodes.textNode(name.toLowerCase(Locale.ROOT).contains("email")
                                          ? "corpus-" + UUID.randomUUID() + "@example.com"
                                          : "corpus-" + UUID.randomUUID().toString().substring(0, 8));
            };
        };
    }

    private final Map<URI, JsonNode> documents = new LinkedHashMap<>();

    private JsonNode document(URI app) {
        return documents.computeIfAbsent(app, base -> {
            Http.Text answer = Http.exchange(base, "GET", "/v3/api-docs", null, null);
            assertThat(answer.status()).as("the OpenAPI document of " + base).isEqualTo(200);
            try {
                return JSON.readTree(answer.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private JsonNode resolve(URI app, JsonNode schema) {
        JsonNode resolved = schema;
        while (resolved.has("$ref")) {
            String name = resolved.get("$ref").asText().substring("#/components/schemas/".length());
            resolved = document(app).path("components").path("schemas").path(name);
        }
        if (resolved.has("allOf") && resolved.get("allOf").size() == 1) {
            return resolve(app, resolved.get("allOf").get(0));
        }
        return resolved;
    }

    private List<Operation> operations(URI app) {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document(app).path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(method -> {
                if (METHODS.contains(method.getKey())) {
                    JsonNode operation = method.getValue();
                    JsonNode body = operation.path("requestBody").path("content").path("application/json")
                                             .path("schema");
                    operations.add(new Operation(app, method.getKey(), path.getKey(),
                                                 operation.path("parameters"),
                                                 body.isMissingNode() ? null : resolve(app, body)));
                }
            });
        }
        return operations;
    }

    /** The own row a path parameter names, by the collection it follows ({@code accounts/{id}}, ...). */
    private String own(String template, String parameter) {
        String before = template.substring(0, template.indexOf("{" + parameter + "}"));
        if (before.endsWith("/users/")) {
            return own.user();
        }
        if (before.endsWith("/devices/")) {
            return own.device();
        }
        return before.endsWith("/accounts/") ? own.account() : "accounts";
    }

    private static String fill(String template, Function<String, String> values) {
        StringBuilder path = new StringBuilder();
        int at = 0;
        for (int open = template.indexOf('{'); open >= 0; open = template.indexOf('{', at)) {
            int close = template.indexOf('}', open);
            path.append(template, at, open).append(values.apply(template.substring(open + 1, close)));
            at = close + 1;
        }
        return path.append(template.substring(at)).toString();
    }

    private static String code(Http.Text answer) {
        try {
            return JSON.readTree(answer.body()).path("code").asText();
        } catch (java.io.IOException | RuntimeException notJson) {
            return "";
        }
    }

    private static String encode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String token() {
        return TestTokens.user(UUID.fromString(user));
    }

    private String device(String account, String serial) {
        admin.create("/api/v1/accounts/" + account + "/devices",
                     "{\"serial\": \"" + serial + "\", \"name\": \"" + serial + "-device\"}");
        return Http.getAfter(arbor.querySide, "/api/v1/accounts/" + account + "/devices", admin.lastPosition(),
                             10_000).body().get("items").get(0).get("id").asText();
    }

    private static String account(String name, int seats) {
        return "{\"name\": \"" + name + "\", \"externalId\": \"ext-" + name + "\", \"seats\": " + seats + "}";
    }

    private static String person(String name) {
        return "{\"email\": \"" + name + "@example.com\", \"name\": \"" + name + "\"}";
    }
}
