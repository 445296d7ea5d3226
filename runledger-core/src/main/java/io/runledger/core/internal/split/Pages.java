package io.runledger.core.internal.split;

import io.runledger.api.Page;
import io.runledger.core.internal.kernel.Cursors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One keyset page over both stores. Both are asked for a page after the same cursor (a
 * position (createdAt, id), newest first); the newest {@code limit} of the two pages are
 * the page, and its last item is the next cursor. Nothing is skipped (every item older than
 * the cursor is in one store's page or after it) and nothing repeats (an id lives in one
 * store). Items created while a client pages are newer than its cursor, so they never appear
 * in a later page.
 */
final class Pages {
    private Pages() {
    }

    static <T> Page<T> merge(Page<T> a, Page<T> b, int limit, Function<T, Instant> createdAt, Function<T, String> id) {
        List<T> all = new ArrayList<>(a.items().size() + b.items().size());
        all.addAll(a.items());
        all.addAll(b.items());
        all.sort(Comparator.comparing(createdAt).thenComparing(id).reversed());
        boolean more = a.nextCursor() != null || b.nextCursor() != null || all.size() > limit;
        List<T> page = all.size() > limit ? all.subList(0, limit) : all;
        String next = more && !page.isEmpty()
                ? Cursors.encode(createdAt.apply(page.getLast()), id.apply(page.getLast())) : null;
        return new Page<>(page, next);
    }
}
