package dev.arbor.system;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The committed OpenAPI documents, {@code docs/openapi/command-side.json} and {@code query-side.json}: what the
 * build checks the served ones against ({@link ApiDocumentsTest}) and what every answer of the system tests is
 * validated with ({@link ApiContract}). Written in one canonical form, keys sorted and pretty-printed, so that a
 * change of the API is a readable diff.
 */
enum ApiDocuments {

    COMMAND_SIDE("command-side.json"),
    QUERY_SIDE("query-side.json");

    /** {@code -Darbor.openapi.write=true} rewrites the committed documents from the served ones. */
    static final String WRITE_PROPERTY = "arbor.openapi.write";
    static final String REGENERATE = "./ops/openapi/export.sh (the system tests' ApiDocumentsTest with -D"
                                     + WRITE_PROPERTY + "=true)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String fileName;

    ApiDocuments(String fileName) {
        this.fileName = fileName;
    }

    /** From the system-tests module, where Maven runs the tests. */
    Path file() {
        return Path.of("..", "docs", "openapi", fileName).toAbsolutePath().normalize();
    }

    JsonNode committed() {
        try {
            return JSON.readTree(Files.readString(file()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file() + "; write it with " + REGENERATE, e);
        }
    }

    void write(JsonNode document) {
        try {
            Files.createDirectories(file().getParent());
            Files.writeString(file(), canonical(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys sorted at every level (arrays keep their order: it is meaningful), two-space indents, a final newline. */
    static String canonical(JsonNode document) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(sorted(document)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode copy = JSON.createObjectNode();
            names.forEach(name -> copy.set(name, sorted(node.get(name))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(sorted(item)));
            return copy;
        }
        return node;
    }
}
