package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Threads of a scope: conversations whose runs share the thread's concurrency key, so a thread
 * runs one run at a time and the {@code onConflict} of the next trigger says what happens to it.
 * A run joins a thread by being triggered with the thread's {@link AgentThread#concurrencyKey()}.
 * Thread ids are UUIDs (kept in lower case); any other id names no thread.
 */
public interface Threads {
    /** The most metadata a thread keeps: 64 KiB of JSON. */
    int MAX_METADATA_BYTES = 64 * 1024;

    /**
     * Creates a thread, or finds the one with this id.
     *
     * @param scope the scope
     * @param threadId the thread's id, a UUID; null for a new UUIDv7
     * @param metadata its metadata, an object (null: {@code {}}), at most 64 KiB
     * @param failIfExists refuse an id that exists instead of answering that thread
     * @return the thread, and whether it was created
     * @throws ConflictException {@code thread_exists}, if it exists and {@code failIfExists}
     * @throws InvalidArgumentException if the id is not a UUID or the metadata not an object
     * @throws NotFoundException if the scope does not exist
     */
    ThreadCreated create(String scope, String threadId, JsonNode metadata, boolean failIfExists);

    /**
     * A thread, with what its runs say of it now.
     *
     * @param scope the scope
     * @param threadId the thread
     * @return it
     * @throws NotFoundException {@code thread_not_found}
     */
    AgentThread get(String scope, String threadId);

    /**
     * Merges {@code metadata} into the thread's: its keys replace the same keys.
     *
     * @param scope the scope
     * @param threadId the thread
     * @param metadata an object
     * @return the thread, updated
     * @throws NotFoundException {@code thread_not_found}
     * @throws PayloadTooLargeException if the merged metadata would pass 64 KiB
     */
    AgentThread update(String scope, String threadId, JsonNode metadata);

    /**
     * Deletes the thread. Its runs stay in the ledger (until their service's retention) but in
     * no thread: a thread created again with the same id starts empty. Runs in flight are not
     * stopped here: cancel them first.
     *
     * @param scope the scope
     * @param threadId the thread
     * @throws NotFoundException {@code thread_not_found}
     */
    void delete(String scope, String threadId);

    /**
     * The threads a query selects, with their derived state.
     *
     * @param scope the scope
     * @param query filters, order and page
     * @return one page
     */
    List<AgentThread> search(String scope, ThreadQuery query);

    /**
     * How many threads a query's filters select (its order and page are ignored).
     *
     * @param scope the scope
     * @param query the filters
     * @return how many
     */
    long count(String scope, ThreadQuery query);

    /**
     * The thread's runs, newest first, without those removed from it.
     *
     * @param scope the scope
     * @param threadId the thread
     * @param statuses only runs in one of these (empty or null: all)
     * @param limit the page size, 1..1000
     * @param offset how many to skip, 0..100,000
     * @return one page
     * @throws NotFoundException {@code thread_not_found}
     */
    List<ThreadRun> runs(String scope, String threadId, List<RunStatus> statuses, int limit, int offset);

    /**
     * One run of the thread, or with {@code threadId} null any run of the scope.
     *
     * @param scope the scope
     * @param threadId the thread, or null
     * @param runId the run
     * @return it, and whether it is interrupted
     * @throws NotFoundException {@code run_not_found} when it is not in the thread (or was
     *         removed from it), {@code thread_not_found}
     */
    ThreadRun run(String scope, String threadId, String runId);

    /**
     * Takes a run out of its thread: the thread no longer lists it nor takes its values or
     * status from it. The run itself is not changed (cancel it first to stop it).
     *
     * @param scope the scope
     * @param threadId the thread
     * @param runId a run of the thread
     * @throws NotFoundException {@code run_not_found} when it is not in the thread (any more),
     *         {@code thread_not_found}
     */
    void runRemove(String scope, String threadId, String runId);
}
