package dev.arbor.query.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.Page;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.web.PlainText;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where a page ended, for keyset paging: the sort key of its last item ({@code key}: the depth where lists are
 * breadth-first, the sorted field's value in a search, empty in id order, the position in event lists) and its id,
 * which breaks ties (null where the key is unique). Opaque to clients: base64url of {@code id:key}. Keyset paging neither skips nor repeats items when rows are added or removed
 * between pages.
 */
public record PageCursor(String key, UUID id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public static PageCursor after(UUID id) {
        return new PageCursor("", id);
    }

    /** For lists ordered by a unique number, such as event positions. */
    public static PageCursor at(long key) {
        return new PageCursor(Long.toString(key), null);
    }

    public String encode() {
        return ENCODER.encodeToString(((id == null ? "" : id) + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back, or null for the first page. */
    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!PlainText.Validator.isPlain(text, false)) {
                // ours hold ids and stored values, all plain text; a NUL would reach PostgreSQL, which refuses it
                throw notOurs();
            }
            String[] parts = text.split(":", 2);
            return new PageCursor(parts[1], parts[0].isEmpty() ? null : UUID.fromString(parts[0]));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException unreadable) {
            throw notOurs();
        }
    }

    /** The key as a number, for lists whose key is one (a cursor of another list is refused, not misread). */
    public int intKey() {
        long value = longKey();
        if (value != (int) value) {
            throw notOurs();
        }
        return (int) value;
    }

    public long longKey() {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException unreadable) {
            throw notOurs();
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

    private static RuleViolation notOurs() {
        return new RuleViolation(ErrorCode.MALFORMED_REQUEST, "The cursor is not one this API gave out.");
    }
}
