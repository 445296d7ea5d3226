package io.runledger.api;

import java.util.Set;
import java.util.regex.Pattern;

/** The event types of schema version 1. */
public final class EventTypes {
    /** The run was registered; always its first event. */
    public static final String ACCEPTED = "run.accepted";
    /** The run was registered to start later ({@code runAt} or {@code delaySeconds}). */
    public static final String SCHEDULED = "run.scheduled";
    /** A worker leased the run: an attempt started. */
    public static final String STARTED = "run.started";
    /** A cancel asked the running worker to stop. */
    public static final String STOP_REQUESTED = "run.stop_requested";
    /** The attempt's lease expired without a heartbeat; the sweeper recovered the run. */
    public static final String LEASE_EXPIRED = "run.lease_expired";
    /** The attempt failed and the run waits for its next one. */
    public static final String RETRYING = "run.retrying";
    /** The run suspended on waitpoints. */
    public static final String WAITING = "run.waiting";
    /** The run's waitpoints completed (or timed out); it is queued again. */
    public static final String RESUMED = "run.resumed";
    /** A signal was sent to the run. */
    public static final String SIGNAL = "run.signal";
    /** The run succeeded. Terminal. */
    public static final String SUCCEEDED = "run.succeeded";
    /** The run failed for good. Terminal. */
    public static final String FAILED = "run.failed";
    /** The run was cancelled. Terminal. */
    public static final String CANCELLED = "run.cancelled";
    /** The run was still queued when its TTL passed. Terminal. */
    public static final String EXPIRED = "run.expired";

    private static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELLED, EXPIRED);
    private static final Set<String> WORKER_TYPES =
            Set.of("progress", "output.delta", "log", "step.started", "step.completed");
    /**
     * A worker's own types. Narrow on purpose: a type is written into SSE {@code event:}
     * lines and log lines, so a CR, LF or anything outside this set could forge a frame.
     */
    private static final Pattern CUSTOM = Pattern.compile("custom\\.[a-z0-9._-]{1,120}");

    private EventTypes() {
    }

    /**
     * Whether an event of this type settles its run.
     *
     * @param type an event type
     * @return true for the four terminal types
     */
    public static boolean isTerminal(String type) {
        return TERMINAL.contains(type);
    }

    /**
     * Types a worker may append: the fixed set plus {@code custom.[a-z0-9._-]{1,120}}.
     *
     * @param type an event type, or null
     * @return true if a worker may append it
     */
    public static boolean isWorkerType(String type) {
        return type != null && (WORKER_TYPES.contains(type) || CUSTOM.matcher(type).matches());
    }
}
