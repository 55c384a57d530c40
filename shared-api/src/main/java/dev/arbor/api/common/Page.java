package dev.arbor.api.common;

import java.util.List;

/**
 * One page of a list. {@code nextCursor} is opaque: pass it as {@code cursor} for the next page; null on the last.
 */
public record Page<T>(List<T> items, String nextCursor) {
}
