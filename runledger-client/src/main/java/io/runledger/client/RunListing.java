package io.runledger.client;

import io.runledger.api.Page;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.Runs;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Walks a keyset-paginated listing of runs page by page, for any {@link Runs} (embedded or remote). */
public final class RunListing {
    private RunListing() {
    }

    /**
     * Every run matching {@code filter}, newest first, fetching pages of {@code filter.limit()}
     * runs as iteration goes (from {@code filter.cursor()} on).
     *
     * @param runs the runs to list, embedded or remote
     * @param scope the scope
     * @param filter which runs, the page size and where to start
     * @return the runs, read lazily; each iteration starts over
     */
    public static Iterable<Run> all(Runs runs, String scope, RunFilter filter) {
        return () -> new Iterator<>() {
            private Iterator<Run> page = List.<Run>of().iterator();
            private String cursor = filter.cursor();
            private boolean last = false;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !last) {
                    Page<Run> p = runs.list(scope, filter.withCursor(cursor));
                    page = p.items().iterator();
                    cursor = p.nextCursor();
                    last = cursor == null;
                }
                return page.hasNext();
            }

            @Override
            public Run next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }
}
