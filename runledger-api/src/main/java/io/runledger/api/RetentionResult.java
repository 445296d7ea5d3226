package io.runledger.api;

/**
 * What retention deleted: terminal runs past their service's {@code retentionDays} (each with
 * its whole ledger, {@code events}), and webhook deliveries (those of the deleted runs, and
 * delivered or dead ones older than 7 days).
 */
public record RetentionResult(long runs, long events, long deliveries) {
    public static final RetentionResult NONE = new RetentionResult(0, 0, 0);

    public RetentionResult plus(RetentionResult o) {
        return new RetentionResult(runs + o.runs, events + o.events, deliveries + o.deliveries);
    }
}
