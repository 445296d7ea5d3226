package io.runledger.core.internal.leases;

import io.runledger.api.RetryPolicy;
import io.runledger.core.internal.kernel.Retries;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.RunStatus;
import io.runledger.core.internal.kernel.ServerEvents;
import io.runledger.core.internal.store.AttemptEnd;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What becomes of a run whose attempt ended without success: the one place that decides
 * between retry, fail and cancel, which error is recorded and which events say so. The
 * worker's {@code fail} and the sweeper's lease recovery both go through {@link #decide}
 * ({@link AttemptEnds} writes the result); the SQL only stores what it returns.
 *
 * <p>The rules: a stop was requested -> {@code cancelled}; else a retryable cause (a lease
 * expiry always is) with attempts left -> a retry with attempt + 1, after the delay of the
 * run's retry policy (or the failure's {@code retryAfterSeconds}): {@code scheduled} until
 * {@code runAt} when the delay is positive, else {@code accepted}; else {@code failed}. A settled run gives up its concurrency key. A lease expiry first writes
 * {@code run.lease_expired}; then comes {@code run.retrying}, {@code run.failed} or
 * {@code run.cancelled}.
 *
 * @param status      the run's new status
 * @param attempt     the run's attempt number from now on
 * @param error       the error stored on the run and carried by the outcome event, as JSON
 * @param finished    whether {@code finished_at} is set
 * @param releasesKey whether the run gives up its concurrency key
 * @param runAt       when a retry after a delay comes due, else null
 * @param events      the events to append, in order
 */
public record AttemptOutcome(RunStatus status, int attempt, JsonNode error, boolean finished, boolean releasesKey,
                             Instant runAt, List<EventDraft> events) {

    public AttemptOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        events = List.copyOf(events);
    }

    /** Why an attempt ended. */
    public sealed interface Cause permits WorkerFailed, LeaseExpired {
    }

    /**
     * The worker reported a failure; {@code error} is the JSON stored for it, {@code retryAfter}
     * the delay it asked for (null: the policy's).
     */
    public record WorkerFailed(JsonNode error, boolean retryable, Duration retryAfter) implements Cause {
        public WorkerFailed {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The lease ran out without a heartbeat (found by the sweeper). */
    public record LeaseExpired() implements Cause {
    }

    public static final Cause LEASE_EXPIRED = new LeaseExpired();

    /** What the decision reads of the locked, running run; {@code retry} is its complete policy. */
    public record Attempt(int attempt, int maxAttempts, boolean stopRequested, String stopReason, String workerId,
                          RetryPolicy retry) {
        static Attempt of(StoredRun row) {
            return new Attempt(row.run().attempt(), row.run().maxAttempts(), row.run().stopRequestedAt() != null,
                    row.stopReason(), row.run().workerId(), Retries.complete(row.retry()));
        }
    }

    /**
     * The outcome, on the transaction's clock {@code now} (read only for a retry after a delay,
     * the one outcome that needs a time); {@code unit} (a random number in
     * [0, 1)) places a retry's delay within the policy's jitter band.
     */
    public static AttemptOutcome decide(Attempt run, Cause cause, Supplier<Instant> now, double unit) {
        List<EventDraft> events = new ArrayList<>(2);
        if (cause instanceof LeaseExpired) {
            events.add(ServerEvents.leaseExpired(run.attempt(), run.workerId()));
        }
        if (run.stopRequested()) {
            ObjectNode error = error("cancelled", run.stopReason() != null ? run.stopReason() : "stop requested");
            if (cause instanceof WorkerFailed failed) {
                error.set("detail", failed.error());
            }
            events.add(ServerEvents.cancelled(run.stopReason(), error));
            return new AttemptOutcome(RunStatus.CANCELLED, run.attempt(), error, true, true, null, events);
        }
        JsonNode error = switch (cause) {
            case WorkerFailed failed -> failed.error();
            case LeaseExpired expired -> error("lease_expired",
                    "the lease of attempt " + run.attempt() + " expired without a heartbeat");
        };
        boolean retryable = switch (cause) {
            case WorkerFailed failed -> failed.retryable();
            case LeaseExpired expired -> true;
        };
        if (retryable && run.attempt() < run.maxAttempts()) {
            int next = run.attempt() + 1;
            Duration delay = cause instanceof WorkerFailed f && f.retryAfter() != null ? f.retryAfter()
                    : run.retry().delayAfter(run.attempt(), unit);
            // microseconds, as the row stores it, so the event and the row say the same instant
            Instant runAt = delay.isZero() ? null : now.get().plus(delay).truncatedTo(ChronoUnit.MICROS);
            events.add(ServerEvents.retrying(next, delay, runAt, error));
            return new AttemptOutcome(runAt == null ? RunStatus.ACCEPTED : RunStatus.SCHEDULED, next, error, false,
                    false, runAt, events);
        }
        events.add(ServerEvents.failed(run.attempt(), error));
        return new AttemptOutcome(RunStatus.FAILED, run.attempt(), error, true, true, null, events);
    }

    /** The store's parameters for writing this outcome on a run. */
    AttemptEnd end(String scope, String runId) {
        return new AttemptEnd(scope, runId, status, attempt, error, finished, releasesKey, runAt);
    }

    /** An error the server writes: code and message only, no detail key (as stored before). */
    private static ObjectNode error(String code, String message) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        return e;
    }
}
