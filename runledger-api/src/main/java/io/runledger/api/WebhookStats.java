package io.runledger.api;

import java.time.Instant;

/**
 * How a webhook endpoint has been doing: its deliveries created in the last
 * {@code windowHours} hours by their status now, the attempts made in those hours, and its
 * most recent failed attempt (still kept, even if older than the window).
 *
 * @param windowHours the window the counts cover, in hours
 * @param delivered deliveries created in the window that a receiver accepted
 * @param dead deliveries created in the window whose attempts ran out
 * @param pending deliveries created in the window still being tried
 * @param attempts attempts made in the window
 * @param failedAttempts those of them that failed (no answer, or not a 2xx)
 * @param successRate the share of the window's attempts that succeeded, 0..1; null when there was none
 * @param lastFailureAt when the most recent failed attempt was made, or null
 * @param lastFailureStatusCode its status code, or null if no answer came
 * @param lastFailureError why it failed, or null
 */
public record WebhookStats(int windowHours, long delivered, long dead, long pending, long attempts,
                           long failedAttempts, Double successRate, Instant lastFailureAt,
                           Integer lastFailureStatusCode, String lastFailureError) {

    /** The window the engine counts over: the last 24 hours. */
    public static final int WINDOW_HOURS = 24;
}
