package io.runledger.api;

import java.util.Set;
import java.util.regex.Pattern;

/** The event types of schema version 1. */
public final class EventTypes {
    public static final String ACCEPTED = "run.accepted";
    public static final String SCHEDULED = "run.scheduled";
    public static final String STARTED = "run.started";
    public static final String STOP_REQUESTED = "run.stop_requested";
    public static final String LEASE_EXPIRED = "run.lease_expired";
    public static final String RETRYING = "run.retrying";
    public static final String WAITING = "run.waiting";
    public static final String RESUMED = "run.resumed";
    public static final String SIGNAL = "run.signal";
    public static final String SUCCEEDED = "run.succeeded";
    public static final String FAILED = "run.failed";
    public static final String CANCELLED = "run.cancelled";
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

    public static boolean isTerminal(String type) {
        return TERMINAL.contains(type);
    }

    /** Types a worker may append: the fixed set plus {@code custom.[a-z0-9._-]{1,120}}. */
    public static boolean isWorkerType(String type) {
        return type != null && (WORKER_TYPES.contains(type) || CUSTOM.matcher(type).matches());
    }
}
