package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Threads of a scope: conversations whose runs share the thread's concurrency key, so a thread
 * runs one run at a time and the {@code onConflict} of the next trigger says what happens to it.
 * A run joins a thread by being triggered with the thread's {@link AgentThread#concurrencyKey()}.
 * Thread ids are UUIDs (lower case); unknown ones are {@code thread_not_found}.
 */
public interface Threads {
    /** The most metadata a thread keeps: 64 KiB of JSON. */
    int MAX_METADATA_BYTES = 64 * 1024;

    /**
     * Creates a thread ({@code threadId} null: a new UUIDv7) with {@code metadata} (an object, or
     * null for {@code {}}). If it exists already it is returned unchanged with {@code created}
     * false, unless {@code failIfExists}: then {@code thread_exists} (a {@link ConflictException}).
     */
    ThreadCreated create(String scope, String threadId, JsonNode metadata, boolean failIfExists);

    AgentThread get(String scope, String threadId);

    /** Merges {@code metadata} (an object) into the thread's: its keys replace the same keys. */
    AgentThread update(String scope, String threadId, JsonNode metadata);

    /**
     * Deletes the thread. Its runs stay in the ledger (until their service's retention) but in
     * no thread: a thread created again with the same id starts empty.
     */
    void delete(String scope, String threadId);

    List<AgentThread> search(String scope, ThreadQuery query);

    long count(String scope, ThreadQuery query);

    /**
     * The thread's runs, newest first, without those removed from it; only those in
     * {@code statuses} when it is not empty. {@code limit} 1..1000, {@code offset} 0..100,000.
     */
    List<ThreadRun> runs(String scope, String threadId, List<RunStatus> statuses, int limit, int offset);

    /**
     * One run of the thread ({@code run_not_found} when it is not in the thread, or was
     * removed from it), or with {@code threadId} null any run of the scope.
     */
    ThreadRun run(String scope, String threadId, String runId);

    /**
     * Takes a run out of its thread: the thread no longer lists it nor takes its values or
     * status from it. The run is not changed (cancel it first to stop it). Idempotent.
     */
    void runRemove(String scope, String threadId, String runId);
}
