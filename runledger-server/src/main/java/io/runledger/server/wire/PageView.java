package io.runledger.server.wire;

import java.util.List;

/** One page, newest first; pass {@code nextCursor} as {@code cursor} for the next (null on the
 * last page).
 */
public record PageView<T>(
        List<T> items,
        @Nullable String nextCursor) {
}
