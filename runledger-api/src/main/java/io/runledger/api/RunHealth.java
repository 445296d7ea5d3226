package io.runledger.api;

import java.util.Locale;

/**
 * A health filter for listing runs ({@link RunFilter#health()}). Heartbeats write no event,
 * so they neither make a run silent nor keep it from being silent.
 */
public enum RunHealth {
    /** Not terminal and past its first attempt: it failed at least once and is being retried. */
    RETRYING,
    /**
     * Running with an expired lease the sweeper has not recovered yet; or queued, leasable (no
     * concurrency key or holding it, service not paused) and due for longer than
     * {@link RunFilter#stuckAfterSeconds()} since it last entered the queue; or scheduled and
     * overdue for as long without being queued.
     */
    STUCK,
    /** Running, and its latest event is older than {@link RunFilter#silentForSeconds()}. */
    SILENT;

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * stuck}}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request
     * @return the health filter it names
     * @throws InvalidArgumentException if it names none
     */
    public static RunHealth fromWire(String value) {
        for (RunHealth health : values()) {
            if (health.wireName().equals(value)) {
                return health;
            }
        }
        throw new InvalidArgumentException("health must be one of retrying, stuck, silent");
    }
}
