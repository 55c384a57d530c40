package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Walking a paged list ({@code {items, nextCursor}}) from its first page to the one without a next cursor. */
final class Pages {

    private static final Pattern LIMIT = Pattern.compile("[?&]limit=(\\d+)");

    private Pages() {
    }

    /**
     * Every item of every page of {@code path}, each page read by {@code read}. No page may hold more than the path's
     * {@code limit}, and no page may repeat an item of an earlier one (a cursor that does not advance).
     */
    static List<JsonNode> all(String path, Function<String, JsonNode> read) {
        Matcher limit = LIMIT.matcher(path);
        Integer pageSize = limit.find() ? Integer.valueOf(limit.group(1)) : null;
        List<JsonNode> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = read.apply(cursor == null ? path : path + (path.contains("?") ? "&" : "?") + "cursor="
                                                            + cursor);
            List<JsonNode> items = items(page);
            if (pageSize != null) {
                assertThat(items).as("a page of " + path).hasSizeLessThanOrEqualTo(pageSize);
            }
            assertThat(items).as("a cursor that does not advance").noneMatch(seen::contains);
            seen.addAll(items);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return seen;
    }

    /** The ids of every item of every page of {@code path}. */
    static List<String> allIds(String path, Function<String, JsonNode> read) {
        return ids(all(path, read));
    }

    static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        page.get("items").forEach(items::add);
        return items;
    }

    static List<String> ids(JsonNode page) {
        return ids(items(page));
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(item -> item.get("id").asText()).toList();
    }
}
