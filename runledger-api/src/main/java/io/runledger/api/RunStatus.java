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
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED;

    /** The wire name: lower case, as stored and as the HTTP API shows it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String value) {
        for (RunStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new InvalidArgumentException("unknown run status '" + value + "'");
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == EXPIRED;
    }

    /** The statuses this one may move to; empty for terminal statuses. */
    public Set<RunStatus> next() {
        return switch (this) {
            case ACCEPTED -> EnumSet.of(RUNNING, CANCELLED, EXPIRED);
            case SCHEDULED -> EnumSet.of(ACCEPTED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, ACCEPTED, SCHEDULED, WAITING);
            case WAITING -> EnumSet.of(ACCEPTED, CANCELLED, FAILED);
            case SUCCEEDED, FAILED, CANCELLED, EXPIRED -> EnumSet.noneOf(RunStatus.class);
        };
    }

    public boolean canMoveTo(RunStatus target) {
        return next().contains(target);
    }

    /** Throws {@link IllegalTransitionException} unless {@code this -> target} is allowed. */
    public void requireMoveTo(RunStatus target, String runId) {
        if (!canMoveTo(target)) {
            throw new IllegalTransitionException(runId, this, target);
        }
    }
}
