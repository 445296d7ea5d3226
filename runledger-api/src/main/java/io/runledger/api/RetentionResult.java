package io.runledger.api;

/**
 * What retention deleted: terminal runs past their service's {@code retentionDays} (each with
 * its whole ledger, {@code events}), and webhook deliveries (those of the deleted runs, and
 * delivered or dead ones older than 7 days).
 *
 * @param runs terminal runs deleted
 * @param events events deleted with them
 * @param deliveries webhook deliveries deleted
 */
public record RetentionResult(long runs, long events, long deliveries) {
    /** Nothing deleted. */
    public static final RetentionResult NONE = new RetentionResult(0, 0, 0);

    /**
     * The sum of this result and another, for passes made of several batches.
     *
     * @param o the other result
     * @return the sum
     */
    public RetentionResult plus(RetentionResult o) {
        return new RetentionResult(runs + o.runs, events + o.events, deliveries + o.deliveries);
    }
}
