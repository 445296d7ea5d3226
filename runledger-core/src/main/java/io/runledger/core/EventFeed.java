package io.runledger.core;

import io.runledger.api.EventPage;
import java.time.Duration;

/**
 * A run's events from a seq on, for a live stream. It holds the run's wake-up while open,
 * so between pages it reads the ledger only when an append wakes it (or at a slow safety
 * re-check), however often the caller comes back for more. Close it when the stream ends.
 */
public interface EventFeed extends AutoCloseable {

    /**
     * The next events, waiting up to {@code maxWait} for one; an empty page if none came in
     * time or the wait group ended.
     */
    EventPage next(Duration maxWait);

    @Override
    void close();
}
