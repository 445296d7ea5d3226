package io.runledger.api;

import java.time.Duration;

/**
 * How long a run waits before its next attempt after a retryable failure or a lease
 * recovery: {@code min(maxDelaySeconds, initialDelaySeconds * factor^(attempt-1))}, spread
 * by ±{@code jitter} (a fraction). Null fields take the defaults (1 s, 300 s, 2.0, 0.2); a
 * trigger's policy overrides its service's.
 */
public record RetryPolicy(Double initialDelaySeconds, Double maxDelaySeconds, Double factor, Double jitter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(1.0, 300.0, 2.0, 0.2);
    /** The longest delay a policy may ask for: one week. */
    public static final double MAX_DELAY_SECONDS = 7 * 24 * 3600.0;

    /** This policy with each unset field taken from {@code base}. */
    public RetryPolicy over(RetryPolicy base) {
        return new RetryPolicy(
                initialDelaySeconds != null ? initialDelaySeconds : base.initialDelaySeconds,
                maxDelaySeconds != null ? maxDelaySeconds : base.maxDelaySeconds,
                factor != null ? factor : base.factor,
                jitter != null ? jitter : base.jitter);
    }

    /**
     * The delay before the attempt that follows attempt {@code failedAttempt}, with {@code unit}
     * a random number in [0, 1) that places it within the jitter band. Needs a complete policy.
     */
    public Duration delayAfter(int failedAttempt, double unit) {
        double base = Math.min(maxDelaySeconds, initialDelaySeconds * Math.pow(factor, Math.max(0, failedAttempt - 1)));
        double spread = base * jitter * (2 * unit - 1);
        double seconds = Math.max(0, Math.min(MAX_DELAY_SECONDS, base + spread));
        return Duration.ofNanos((long) (seconds * 1_000_000_000L));
    }
}
