package io.runledger.api;

/**
 * What one pass of the webhook dispatcher did.
 *
 * @param delivered deliveries the receivers accepted (2xx)
 * @param retrying deliveries that failed and will be retried
 * @param dead deliveries that failed for the last time
 */
public record DispatchResult(int delivered, int retrying, int dead) {
    /** Nothing dispatched. */
    public static final DispatchResult NONE = new DispatchResult(0, 0, 0);

    /**
     * The sum of this result and another.
     *
     * @param o the other result
     * @return the sum
     */
    public DispatchResult plus(DispatchResult o) {
        return new DispatchResult(delivered + o.delivered, retrying + o.retrying, dead + o.dead);
    }

    /** {@return how many deliveries were attempted, all outcomes together} */
    public int total() {
        return delivered + retrying + dead;
    }
}
