package io.runledger.core.internal.store;

import java.time.Instant;

/** Failures of one service noted for one alert webhook in one window (aligned to the epoch). */
public record AlertWindow(String scope, String webhookId, String service, Instant windowStart, int windowSeconds) {
}
