package io.runledger.api;

/**
 * What {@link Waitpoints#list} returns: the scope's waitpoints, newest first, optionally only
 * those of one status or those the run {@code runId} waits on now or waited on. {@code limit}
 * is 1..{@value #MAX_LIMIT}; {@code cursor} is a previous page's {@code nextCursor}, or null.
 */
public record WaitpointFilter(WaitpointStatus status, String runId, int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
}
