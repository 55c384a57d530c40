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
 * which breaks ties (null where the key is unique). Opaque to clients: base64url of {@code id:key}.
 * <p>
 * Each page is one query, so one snapshot of the read model, and starts strictly after the previous page's last
 * {@code (key, id)}, whatever was written in between. So, while rows are written between or during page reads:
 * <ul>
 * <li>a row that is in the list throughout and whose sort key does not change is seen exactly once, in order;</li>
 * <li>a row that enters or leaves the list meanwhile (created, deleted, moved into or out of the subtree, no longer
 * or newly matching the filter) but whose key does not change is seen at most once;</li>
 * <li>a row whose key changes meanwhile (a rename under {@code sort=name}, any change under {@code updatedAt}, a
 * seat change under {@code seats}, a move under the {@code (depth, id)} of descendants) may be seen at its old
 * place, at its new place, at both or at neither: at most once for each key it had.</li>
 * </ul>
 * {@code offset} paging promises none of this: a row added or removed before the offset shifts every later page.
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
