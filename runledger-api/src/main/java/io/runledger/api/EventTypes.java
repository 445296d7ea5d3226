package io.runledger.api;

import java.util.Set;

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

    private EventTypes() {
    }

    public static boolean isTerminal(String type) {
        return TERMINAL.contains(type);
    }

    /** Types a worker may append: the fixed set plus any {@code custom.<name>}. */
    public static boolean isWorkerType(String type) {
        return type != null
                && (WORKER_TYPES.contains(type)
                        || (type.startsWith("custom.") && type.length() > "custom.".length() && type.length() <= 128));
    }
}
