package io.runledger.server.agentprotocol;

import io.runledger.server.http.Paths;

/**
 * The Agent Protocol's routes under {@link #PREFIX} (the SDK's {@code apiUrl}), and the URLs it
 * hands out. Those are relative to the prefix, as LangGraph Platform's are: the SDK appends a
 * {@code Location} to its {@code apiUrl} to reconnect a stream.
 */
public final class ApPaths {
    /** Every route of the layer starts with this; the OpenAPI document leaves them out. */
    public static final String PREFIX = Paths.SCOPE + "/ap";
    static final String ASSISTANTS_SEARCH = PREFIX + "/assistants/search";
    static final String ASSISTANTS_COUNT = PREFIX + "/assistants/count";
    static final String ASSISTANT = PREFIX + "/assistants/{assistantId}";
    static final String ASSISTANT_SCHEMAS = ASSISTANT + "/schemas";
    static final String THREADS = PREFIX + "/threads";
    static final String THREADS_SEARCH = THREADS + "/search";
    static final String THREADS_COUNT = THREADS + "/count";
    static final String THREAD = THREADS + "/{threadId}";
    static final String THREAD_STATE = THREAD + "/state";
    static final String THREAD_STATE_AT = THREAD_STATE + "/{checkpointId}";
    static final String THREAD_HISTORY = THREAD + "/history";
    static final String THREAD_RUNS = THREAD + "/runs";
    static final String THREAD_RUNS_WAIT = THREAD_RUNS + "/wait";
    static final String THREAD_RUNS_STREAM = THREAD_RUNS + "/stream";
    static final String THREAD_RUN = THREAD_RUNS + "/{runId}";
    static final String THREAD_RUN_JOIN = THREAD_RUN + "/join";
    static final String THREAD_RUN_STREAM = THREAD_RUN + "/stream";
    static final String THREAD_RUN_CANCEL = THREAD_RUN + "/cancel";
    static final String RUNS = PREFIX + "/runs";
    static final String RUNS_WAIT = RUNS + "/wait";
    static final String RUNS_STREAM = RUNS + "/stream";
    static final String RUNS_BATCH = RUNS + "/batch";
    static final String RUNS_CANCEL = RUNS + "/cancel";
    static final String RUN = RUNS + "/{runId}";
    static final String RUN_JOIN = RUN + "/join";
    static final String RUN_STREAM = RUN + "/stream";

    private ApPaths() {
    }

    /** A run's URL relative to the prefix ({@code Content-Location}). */
    static String run(String threadId, String runId) {
        return threadId == null ? "/runs/" + runId : "/threads/" + threadId + "/runs/" + runId;
    }

    /** Where a run's stream resumes, relative to the prefix ({@code Location}). */
    static String stream(String threadId, String runId) {
        return run(threadId, runId) + "/stream";
    }
}
