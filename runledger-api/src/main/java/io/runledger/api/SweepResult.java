package io.runledger.api;

/**
 * What one sweep did with runs whose lease expired: put back in the queue, failed with
 * {@code lease_expired} (no attempts left), or cancelled (a stop had been requested).
 */
public record SweepResult(int recovered, int failed, int cancelled) {
    public static final SweepResult NONE = new SweepResult(0, 0, 0);

    public SweepResult plus(SweepResult other) {
        return new SweepResult(recovered + other.recovered, failed + other.failed, cancelled + other.cancelled);
    }

    public int total() {
        return recovered + failed + cancelled;
    }
}
