package io.runledger.api;

/** What one pass of the webhook dispatcher did. */
public record DispatchResult(int delivered, int retrying, int dead) {
    public static final DispatchResult NONE = new DispatchResult(0, 0, 0);

    public DispatchResult plus(DispatchResult o) {
        return new DispatchResult(delivered + o.delivered, retrying + o.retrying, dead + o.dead);
    }

    public int total() {
        return delivered + retrying + dead;
    }
}
