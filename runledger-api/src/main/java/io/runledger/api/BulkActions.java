package io.runledger.api;

/**
 * Cancel or replay every run of a scope that matches a filter. The runs that match when the
 * action is created are processed in the background, in pages, by any instance, across
 * restarts; each run exactly once.
 */
public interface BulkActions {
    /** The most runs one action may match; a filter that matches more is refused. */
    int MAX_MATCHED = 100_000;
    /** The most running actions one scope may have; one more is refused with {@code too_many_bulk_actions}. */
    int MAX_RUNNING = 10;
    /** The page size of {@link #list} when none is asked for. */
    int DEFAULT_LIMIT = 50;
    /** The largest page of {@link #list}. */
    int MAX_LIMIT = 200;

    /**
     * Creates the action over the runs that match now (refused with
     * {@code bulk_action_too_large} beyond {@value #MAX_MATCHED}, and with 409
     * {@code too_many_bulk_actions} while the scope has {@value #MAX_RUNNING} running); answers it
     * as created.
     *
     * @param scope the scope
     * @param request what to do, to which runs, and why
     * @return the action, {@code running}
     */
    BulkAction create(String scope, BulkActionRequest request);

    /**
     * How many runs the request would act on if it were created now (a dry run: nothing is
     * written); refused with {@code bulk_action_too_large} beyond {@value #MAX_MATCHED}, as the
     * create would be.
     *
     * @param scope the scope
     * @param request the action that would be created
     * @return how many runs match now
     */
    int count(String scope, BulkActionRequest request);

    /**
     * A bulk action with its progress.
     *
     * @param scope the scope
     * @param bulkActionId the action
     * @return it
     * @throws NotFoundException if there is no such action in the scope
     */
    BulkAction get(String scope, String bulkActionId);

    /**
     * The scope's bulk actions, newest first; {@code cursor} is a previous page's {@code nextCursor}.
     *
     * @param scope the scope
     * @param limit the page size, 1..{@value #MAX_LIMIT}
     * @param cursor the previous page's cursor, or null for the first page
     * @return one page
     */
    Page<BulkAction> list(String scope, int limit, String cursor);

    /**
     * Stops a running action before its next page; runs already processed stay so. A finished
     * action is answered as it is.
     *
     * @param scope the scope
     * @param bulkActionId the action
     * @return the action, cancelled (or as it finished)
     */
    BulkAction cancel(String scope, String bulkActionId);
}
