package io.runledger.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The statuses of a run and the only transitions between them. This enum is the single
 * place the transition table lives in Java; the database repeats it in a trigger so that
 * no statement can write an illegal transition either.
 */
public enum RunStatus {
    /** Queued, leasable (unless it waits for its concurrency key). */
    ACCEPTED,
    /** Delayed until {@code runAt}. */
    SCHEDULED,
    /** Leased by a worker. */
    RUNNING,
    /** Suspended on a waitpoint. */
    WAITING,
    /** Completed by its worker with an output. Terminal. */
    SUCCEEDED,
    /** Failed for good: no attempts left, a non-retryable error, or a timeout. Terminal. */
    FAILED,
    /** Stopped on request (a cancel, or a stop recorded on its idempotency key). Terminal. */
    CANCELLED,
    /** Still queued when its {@code ttlSeconds} passed; never started. Terminal. */
    EXPIRED;

    /**
     * The wire name: lower case, as stored and as the HTTP API shows it.
     *
     * @return the lower-case name, e.g. {@code running}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request or a row
     * @return the status it names
     * @throws InvalidArgumentException if it names none
     */
    public static RunStatus fromWire(String value) {
        for (RunStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("unknown run status '" + value + "'");
    }

    /** {@return whether a run in this status is settled for good: succeeded, failed, cancelled or expired} */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == EXPIRED;
    }

    /**
     * The statuses this one may move to; empty for terminal statuses.
     *
     * @return the allowed targets, a new set each call
     */
    public Set<RunStatus> next() {
        return switch (this) {
            case ACCEPTED -> EnumSet.of(RUNNING, CANCELLED, EXPIRED);
            case SCHEDULED -> EnumSet.of(ACCEPTED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, ACCEPTED, SCHEDULED, WAITING);
            case WAITING -> EnumSet.of(ACCEPTED, CANCELLED, FAILED);
            case SUCCEEDED, FAILED, CANCELLED, EXPIRED -> EnumSet.noneOf(RunStatus.class);
        };
    }

    /**
     * Whether the transition table allows {@code this -> target}.
     *
     * @param target the status to move to
     * @return true if the move is allowed
     */
    public boolean canMoveTo(RunStatus target) {
        return next().contains(target);
    }

    /**
     * Throws {@link IllegalTransitionException} unless {@code this -> target} is allowed.
     *
     * @param target the status to move to
     * @param runId the run, named in the exception
     */
    public void requireMoveTo(RunStatus target, String runId) {
        if (!canMoveTo(target)) {
            throw new IllegalTransitionException(runId, this, target);
        }
    }
}
