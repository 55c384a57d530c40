package dev.arbor.query.account;

import dev.arbor.api.account.AccountView;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.support.PageCursor;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The order of a search, {@code sort=field,asc|desc}, with the id breaking ties in the same direction, so that every
 * order is a keyset: a page starts strictly after the {@code (field, id)} of the previous page's last account.
 * Accounts without an externalId sort as if it were empty.
 */
record AccountSort(Key key, boolean ascending) {

    /**
     * A sortable field: its SQL expression over {@code a}, its value in a view, and how a cursor's text turns back
     * into that value.
     */
    record Key(String expression, Function<AccountView, Object> value, Function<String, Object> parse) {
    }

    private static final Map<String, Key> KEYS = Map.of(
            "id", new Key("a.id", AccountView::id, UUID::fromString),
            "name", new Key("a.name", AccountView::name, text -> text),
            "externalId", new Key("COALESCE(a.external_id, '')",
                                  view -> Objects.requireNonNullElse(view.externalId(), ""), text -> text),
            "depth", new Key("a.depth", AccountView::depth, Integer::valueOf),
            "seats", new Key("a.seats_total", view -> view.seats().total(), Long::valueOf),
            "createdAt", new Key("a.created_at", AccountView::createdAt, AccountSort::utc),
            "updatedAt", new Key("a.updated_at", AccountView::updatedAt, AccountSort::utc));

    static AccountSort parse(String sort) {
        String[] parts = sort.split(",", 2);
        Key key = KEYS.get(parts[0]);
        String direction = parts.length == 1 ? "asc" : parts[1].toLowerCase(Locale.ROOT);
        if (key == null || !(direction.equals("asc") || direction.equals("desc"))) {
            throw new RuleViolation(ErrorCode.MALFORMED_REQUEST, "sort is field,asc or field,desc with field one of "
                    + KEYS.keySet().stream().sorted().collect(Collectors.joining(", ")) + ".");
        }
        return new AccountSort(key, direction.equals("asc"));
    }

    String orderBy() {
        String direction = ascending ? " ASC" : " DESC";
        return key.expression() + direction + ", a.id" + direction;
    }

    /** The condition for rows after {@code :afterKey, :afterId}; see {@link #afterKey} for the first. */
    String after() {
        return "(" + key.expression() + ", a.id) " + (ascending ? ">" : "<") + " (:afterKey, :afterId)";
    }

    /** The cursor's key as a value of the sorted field; a cursor from another order is refused, not misread. */
    Object afterKey(PageCursor cursor) {
        try {
            return key.parse().apply(cursor.key());
        } catch (IllegalArgumentException | DateTimeParseException otherOrder) {
            throw new RuleViolation(ErrorCode.MALFORMED_REQUEST, "The cursor belongs to another sort order.");
        }
    }

    private static OffsetDateTime utc(String instant) {
        return Instant.parse(instant).atOffset(ZoneOffset.UTC);
    }

    PageCursor cursorAfter(AccountView view) {
        return new PageCursor(key.value().apply(view).toString(), view.id());
    }
}
