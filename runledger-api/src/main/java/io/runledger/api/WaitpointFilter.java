package io.runledger.api;

/**
 * What {@link Waitpoints#list} returns: the scope's waitpoints, newest first, optionally only
 * those of one status or those the run {@code runId} waits on now or waited on. {@code limit}
 * is 1..{@value #MAX_LIMIT}; {@code cursor} is a previous page's {@code nextCursor}, or null.
 *
 * @param status only waitpoints in this status; null: any
 * @param runId only those this run waits or waited on; null: any
 * @param limit the page size, 1..{@value #MAX_LIMIT}
 * @param cursor the previous page's {@code nextCursor}, or null for the first page
 */
public record WaitpointFilter(WaitpointStatus status, String runId, int limit, String cursor) {
    /** The page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page. */
    public static final int MAX_LIMIT = 200;
}
