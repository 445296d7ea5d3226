package io.runledger.api;

import java.time.Duration;

/**
 * A run's events from a seq on, for a live stream. In the engine it holds the run's wake-up
 * while open, so between pages it reads the ledger only when an append wakes it (or at a
 * slow safety re-check); over HTTP it is one resumable SSE stream. Close it when done.
 */
public interface EventFeed extends AutoCloseable {

    /**
     * The next events, waiting up to {@code maxWait} for one; an empty page if none came in
     * time (or the waits it belongs to were ended, e.g. by a server that drains).
     *
     * @param maxWait how long to wait for an event when none is there yet
     * @return the events that came, possibly none
     */
    EventPage next(Duration maxWait);

    /** Stops following; the run itself is not affected. Never throws. */
    @Override
    void close();
}
