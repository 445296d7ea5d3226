package io.runledger.client.internal;

import java.time.Duration;

/** Retry pacing shared by the poller, the report retries and the stream reconnects. */
public final class Backoff {
    private Backoff() {
    }

    /** Twice {@code current}, but never more than {@code max}. */
    public static Duration doubled(Duration current, Duration max) {
        Duration next = current.multipliedBy(2);
        return next.compareTo(max) > 0 ? max : next;
    }

    /** Sleeps; an interrupt ends the sleep early and stays set for the caller to see. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
