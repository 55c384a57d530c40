package dev.arbor.query.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.Page;
import dev.arbor.api.common.RuleViolation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where a page ended, for keyset paging: the sort key of its last item ({@code depth} where lists are breadth-first,
 * and the time-ordered {@code id}). Opaque to clients: base64url of {@code depth:id}. Keyset paging neither skips
 * nor repeats items when accounts are added or removed between pages.
 */
public record PageCursor(int depth, UUID id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final UUID OFFSET_MARK = new UUID(0, 0);

    /** For lists sorted by something other than their keys: the cursor carries the offset of the next page. */
    public static PageCursor atOffset(int offset) {
        return new PageCursor(offset, OFFSET_MARK);
    }

    /** The offset this cursor carries, or null for a keyset cursor. */
    public Integer offset() {
        return OFFSET_MARK.equals(id) ? depth : null;
    }

    public String encode() {
        return ENCODER.encodeToString((depth + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
            return new PageCursor(Integer.parseInt(parts[0]), UUID.fromString(parts[1]));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException unreadable) {
            throw new RuleViolation(ErrorCode.MALFORMED_REQUEST, "The cursor is not one this API gave out.");
        }
    }

    /** Turns {@code limit + 1} fetched items into a page of {@code limit}, with a cursor when there are more. */
    public static <T> Page<T> page(List<T> fetched, int limit, Function<T, PageCursor> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorOf.apply(items.get(limit - 1)).encode());
    }
}
