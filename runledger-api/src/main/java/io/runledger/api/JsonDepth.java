package io.runledger.api;

/** How deep JSON may nest: what a caller may send, and what the engine stores and reads back. */
public final class JsonDepth {
    /** The deepest JSON a request may hold; deeper is 400 {@code invalid_argument}. */
    public static final int MAX_REQUEST = 64;

    /**
     * How deep a stored value may nest and still be read and written. Requests are held to
     * {@link #MAX_REQUEST}, but rows written before that limit (Jackson then allowed 1,000) or
     * by SQL must stay readable: one row that cannot be read fails every list that holds it.
     */
    public static final int MAX_STORED = 2_000;

    /** The deepest answer a server writes and a client reads: stored values plus envelopes. */
    public static final int MAX_ANSWER = MAX_STORED + 100;

    private JsonDepth() {
    }
}
