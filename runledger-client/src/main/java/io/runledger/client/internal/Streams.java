package io.runledger.client.internal;

import io.runledger.client.EventStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The event streams a client opened and may not have closed, so that closing the client
 * ends them too. Held weakly: a stream nobody reads any more (its reader thread done) is
 * not kept alive by this set.
 */
public final class Streams {
    private final Set<EventStream> open = Collections.newSetFromMap(new WeakHashMap<>());

    public synchronized EventStream opened(EventStream stream) {
        open.add(stream);
        return stream;
    }

    public void closeAll() {
        List<EventStream> all;
        synchronized (this) {
            all = new ArrayList<>(open);
            open.clear();
        }
        all.forEach(EventStream::close);
    }
}
