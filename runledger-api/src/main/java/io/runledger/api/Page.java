package io.runledger.api;

import java.util.List;

/**
 * One page of a keyset-paginated listing; {@code nextCursor} is null on the last page.
 *
 * @param <T> what is listed
 * @param items this page's items, in listing order
 * @param nextCursor the cursor of the next page; null on the last
 */
public record Page<T>(List<T> items, String nextCursor) {
    /** Keeps an unmodifiable copy of {@code items}. */
    public Page {
        items = List.copyOf(items);
    }
}
