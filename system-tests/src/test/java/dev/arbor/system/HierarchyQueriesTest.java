package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Children, descendants and ancestors from the read model, with keyset paging, after creations, deletes and moves. */
class HierarchyQueriesTest {

    private final RunningArbor arbor = RunningArbor.get();
    private long lastPosition;

    @Test
    void answersTheTreeAsItIsNow() {
        String root = create("/api/v1/accounts");
        String a = create("/api/v1/accounts/" + root + "/children");
        String b = create("/api/v1/accounts/" + root + "/children");
        String gone = create("/api/v1/accounts/" + root + "/children");
        String a1 = create("/api/v1/accounts/" + a + "/children");
        String a2 = create("/api/v1/accounts/" + a + "/children");
        String b1 = create("/api/v1/accounts/" + b + "/children");
        command("DELETE", "/api/v1/accounts/" + gone, null);

        assertThat(allPages("/api/v1/accounts/" + root + "/children", 1)).containsExactly(a, b);
        assertThat(ids(read("/api/v1/accounts/" + root + "/descendants?limit=1000")))
                .containsExactly(a, b, a1, a2, b1);
        assertThat(allPages("/api/v1/accounts/" + root + "/descendants", 2)).containsExactly(a, b, a1, a2, b1);
        assertThat(ids(read("/api/v1/accounts/" + root + "/descendants?maxDepth=1"))).containsExactly(a, b);
        assertThat(ids(read("/api/v1/accounts/" + a1 + "/ancestors"))).containsExactly(root, a);

        JsonNode tree = read("/api/v1/accounts/" + root + "/tree");
        assertThat(tree.get("id").asText()).isEqualTo(root);
        assertThat(ids(tree.get("children"))).containsExactly(a, b);
        assertThat(ids(tree.get("children").get(0).get("children"))).containsExactly(a1, a2);
        assertThat(ids(tree.get("children").get(1).get("children"))).containsExactly(b1);
        assertThat(read("/api/v1/accounts/" + root + "/tree?maxDepth=1").get("children").get(0).get("children"))
                .isEmpty();

        command("POST", "/api/v1/accounts/" + b + "/move", "{\"newParentId\": \"" + a + "\"}");

        // breadth-first: b now sits at depth 2 beside a1 and a2, and within a level ids (creation order) decide
        assertThat(ids(read("/api/v1/accounts/" + a + "/descendants"))).containsExactly(b, a1, a2, b1);
        assertThat(ids(read("/api/v1/accounts/" + b1 + "/ancestors"))).containsExactly(root, a, b);
        assertThat(read("/api/v1/accounts/" + b1).get("depth").asInt()).isEqualTo(3);
        assertThat(counts(root)).isEqualTo("children 1, descendants 5");
        assertThat(counts(a)).isEqualTo("children 3, descendants 4");
        assertThat(counts(b)).isEqualTo("children 1, descendants 1");
        assertThat(read("/api/v1/accounts/" + b).get("path").toString()).isEqualTo("[\"" + root + "\",\"" + a + "\"]");

        command("POST", "/api/v1/accounts/" + a + "/suspend", null);
        JsonNode underSuspension = read("/api/v1/accounts/" + b1);
        assertThat(underSuspension.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(underSuspension.get("effectiveStatus").asText()).isEqualTo("SUSPENDED");
        assertThat(underSuspension.get("suspendedBy").asText()).isEqualTo(a);
        assertThat(read("/api/v1/accounts/" + root).get("effectiveStatus").asText()).isEqualTo("ACTIVE");
        assertThat(read("/api/v1/accounts/" + gone).get("effectiveStatus").asText()).isEqualTo("DELETED");

        command("PUT", "/api/v1/accounts/" + root + "/limits", "{\"maxVMs\": 10}");
        command("PATCH", "/api/v1/accounts/" + root + "/config", "{\"billable\": true, \"properties\": {\"tier\": \"gold\"}}");
        command("POST", "/api/v1/accounts/" + root + "/users", "{\"email\": \"h-" + java.util.UUID.randomUUID()
                + "@example.com\", \"name\": \"H\"}");
        JsonNode configured = read("/api/v1/accounts/" + root);
        assertThat(configured.get("limits").toString()).isEqualTo("{\"maxVMs\":10}");
        assertThat(configured.get("config").get("billable").asBoolean()).isTrue();
        assertThat(configured.get("config").get("properties").toString()).isEqualTo("{\"tier\":\"gold\"}");
        assertThat(configured.get("userCount").asInt()).isEqualTo(1);
        assertThat(read("/api/v1/accounts/" + a).get("parentFreeSeats").asLong()).isZero();

        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + root + "/children?cursor=bogus").status())
                .isEqualTo(400);
    }

    /**
     * Children, descendants and a search, 60 accounts each: without {@code limit} a page holds 50 and has a cursor;
     * {@code offset=50} gives the other 10, the same as the cursor's page. A limit above 1000 is refused.
     */
    @Test
    void pagesHoldFiftyByDefaultAndOffsetGivesWhatTheCursorGives() {
        String root = create("/api/v1/accounts");
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            children.add(create("/api/v1/accounts/" + root + "/children"));
        }

        for (String list : List.of("/api/v1/accounts/" + root + "/children?",
                                   "/api/v1/accounts/" + root + "/descendants?",
                                   "/api/v1/accounts?filter=parentId%3D%3D" + root + "&")) {
            JsonNode first = read(list);
            assertThat(ids(first)).as(list).containsExactlyElementsOf(children.subList(0, 50));
            assertThat(first.get("nextCursor").isNull()).as(list).isFalse();
            JsonNode byCursor = read(list + "cursor=" + first.get("nextCursor").asText());
            JsonNode byOffset = read(list + "offset=50");
            assertThat(ids(byCursor)).as(list).containsExactlyElementsOf(children.subList(50, 60));
            assertThat(byOffset).as(list).isEqualTo(byCursor);
            assertThat(byOffset.get("nextCursor").isNull()).as(list).isTrue();

            Http.Response tooLong = Http.get(arbor.querySide, list + "limit=1001");
            assertThat(tooLong.status()).as(list).isEqualTo(400);
            assertThat(tooLong.contentType()).as(list).isEqualTo("application/problem+json");
            assertThat(tooLong.body().get("code").asText()).as(list).isEqualTo("VALIDATION_FAILED");
        }
    }

    /**
     * A chain from a root down to the deepest level (10): every account's descendants are the rest of the chain, read
     * through the index of its level, and the deepest account's, past the indexed levels, are none.
     */
    @Test
    void everyLevelOfTheDeepestChainListsTheRestOfTheChain() {
        List<String> chain = new ArrayList<>(List.of(create("/api/v1/accounts")));
        for (int depth = 1; depth <= 10; depth++) {
            chain.add(create("/api/v1/accounts/" + chain.get(depth - 1) + "/children"));
        }

        for (int depth = 0; depth <= 10; depth++) {
            assertThat(ids(read("/api/v1/accounts/" + chain.get(depth) + "/descendants"))).as("depth %d", depth)
                    .containsExactlyElementsOf(chain.subList(depth + 1, chain.size()));
        }
        assertThat(ids(read("/api/v1/accounts/" + chain.get(3) + "/descendants?maxDepth=2")))
                .containsExactly(chain.get(4), chain.get(5));
    }

    private String counts(String id) {
        JsonNode view = read("/api/v1/accounts/" + id);
        return "children " + view.get("childCount").asInt() + ", descendants " + view.get("descendantCount").asInt();
    }

    private List<String> allPages(String path, int limit) {
        return Pages.allIds(path + "?limit=" + limit, this::read);
    }

    @Test
    void aTreeAboveTheNodeLimitIsRefusedWithAHint() {
        String root = create("/api/v1/accounts");
        for (int i = 0; i < 21; i++) {
            create("/api/v1/accounts/" + root + "/children");
        }

        Http.Response tree = Http.getAfter(arbor.querySide, "/api/v1/accounts/" + root + "/tree", lastPosition, 5_000);

        assertThat(tree.status()).isEqualTo(422);
        assertThat(tree.body().get("code").asText()).isEqualTo("TREE_TOO_LARGE");
        assertThat(tree.body().get("detail").asText()).contains("/descendants");
    }

    /** The ids of a page's items, or of a list of tree nodes. */
    private static List<String> ids(JsonNode pageOrNodes) {
        JsonNode items = pageOrNodes.has("items") ? pageOrNodes.get("items") : pageOrNodes;
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private String create(String path) {
        Http.Response created = Http.post(arbor.commandSide, path, "{\"name\": \"Node\", \"seats\": 0}");
        assertThat(created.status()).isEqualTo(201);
        lastPosition = created.body().get("position").asLong();
        return created.body().get("id").asText();
    }

    private void command(String method, String path, String json) {
        Http.Response done = Http.send(arbor.commandSide, method, path, json);
        assertThat(done.status()).isBetween(200, 201);
        lastPosition = done.body().get("position").asLong();
    }

    private JsonNode read(String path) {
        Http.Response response = Http.getAfter(arbor.querySide, path, lastPosition, 5_000);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.stale()).isFalse();
        return response.body();
    }
}
