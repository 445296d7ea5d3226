package io.runledger.api;

/**
 * What one sweep did with runs whose lease expired: put back in the queue, failed with
 * {@code lease_expired} (no attempts left), or cancelled (a stop had been requested).
 *
 * @param recovered runs put back in the queue for their next attempt
 * @param failed runs failed with {@code lease_expired}, no attempts left
 * @param cancelled runs cancelled, a stop having been requested
 */
public record SweepResult(int recovered, int failed, int cancelled) {
    /** Nothing swept. */
    public static final SweepResult NONE = new SweepResult(0, 0, 0);

    /**
     * The sum of this result and another.
     *
     * @param other the other result
     * @return the sum
     */
    public SweepResult plus(SweepResult other) {
        return new SweepResult(recovered + other.recovered, failed + other.failed, cancelled + other.cancelled);
    }

    /** {@return how many runs the sweep settled or put back, all outcomes together} */
    public int total() {
        return recovered + failed + cancelled;
    }
}
