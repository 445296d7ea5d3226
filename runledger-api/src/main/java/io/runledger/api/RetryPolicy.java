package io.runledger.api;

import java.time.Duration;

/**
 * How long a run waits before its next attempt after a retryable failure or a lease
 * recovery: {@code min(maxDelaySeconds, initialDelaySeconds * factor^(attempt-1))}, spread
 * by ±{@code jitter} (a fraction). Null fields take the defaults (1 s, 300 s, 2.0, 0.2); a
 * trigger's policy overrides its service's.
 *
 * @param initialDelaySeconds the delay after the first failed attempt; null: 1 s
 * @param maxDelaySeconds the longest delay; null: 300 s
 * @param factor how much each delay grows over the previous one; null: 2.0
 * @param jitter how far a delay may stray, as a fraction of it; null: 0.2
 */
public record RetryPolicy(Double initialDelaySeconds, Double maxDelaySeconds, Double factor, Double jitter) {

    /** The defaults: 1 s doubling up to 300 s, ±20 %. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(1.0, 300.0, 2.0, 0.2);
    /** The longest delay a policy may ask for: one week. */
    public static final double MAX_DELAY_SECONDS = 7 * 24 * 3600.0;

    /**
     * This policy with each unset field taken from {@code base}.
     *
     * @param base the policy to fill unset fields from
     * @return the combined policy
     */
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
     *
     * @param failedAttempt the attempt that failed, from 1
     * @param unit a random number in [0, 1)
     * @return the delay, at most {@link #MAX_DELAY_SECONDS}
     */
    public Duration delayAfter(int failedAttempt, double unit) {
        double base = Math.min(maxDelaySeconds, initialDelaySeconds * Math.pow(factor, Math.max(0, failedAttempt - 1)));
        double spread = base * jitter * (2 * unit - 1);
        double seconds = Math.max(0, Math.min(MAX_DELAY_SECONDS, base + spread));
        return Duration.ofNanos((long) (seconds * 1_000_000_000L));
    }
}
