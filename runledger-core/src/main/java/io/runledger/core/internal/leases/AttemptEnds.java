package io.runledger.core.internal.leases;

import java.time.Instant;
import java.util.function.Supplier;
import java.util.concurrent.ThreadLocalRandom;
import io.runledger.api.RunStatus;
import io.runledger.core.internal.store.AttemptEnd;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.RunEvents;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * Ends attempts that did not succeed: {@link AttemptOutcome} decides each run's outcome,
 * then one UPDATE writes all outcomes and one statement appends all their events, however
 * many runs (the worker's {@code fail} ends one, a sweep a batch).
 */
public final class AttemptEnds {
    private final RunStore store;
    private final EventStore ledger;

    public AttemptEnds(RunStore store, EventStore ledger) {
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Ends the attempts of {@code locked}, running runs this transaction holds locked, for
     * {@code cause}. Returns the runs as they now are, in the order given.
     */
    public List<StoredRun> end(Handle h, List<StoredRun> locked, AttemptOutcome.Cause cause) {
        return end(h, locked, Collections.nCopies(locked.size(), cause));
    }

    /** As {@link #end(Handle, List, AttemptOutcome.Cause)}, each run for its own cause ({@code causes} parallel). */
    public List<StoredRun> end(Handle h, List<StoredRun> locked, List<AttemptOutcome.Cause> causes) {
        if (locked.size() != causes.size()) {
            throw new IllegalArgumentException(locked.size() + " runs but " + causes.size() + " causes");
        }
        if (locked.isEmpty()) {
            return List.of();
        }
        // A retry's runAt is on the database's clock, as the queue reads it; read once, and only
        // if an outcome is a retry after a delay (a fail or a sweep without one needs no time).
        Instant[] now = {null};
        Supplier<Instant> clock = () -> now[0] != null ? now[0] : (now[0] = store.now(h));
        List<AttemptEnd> ends = new ArrayList<>(locked.size());
        List<RunEvents> events = new ArrayList<>(locked.size());
        for (int i = 0; i < locked.size(); i++) {
            StoredRun row = locked.get(i);
            AttemptOutcome.Cause cause = causes.get(i);
            if (row.run().status() != RunStatus.RUNNING) {
                throw new IllegalStateException("run " + row.run().runId() + " is " + row.run().status()
                        + ", not running: its attempt cannot end");
            }
            AttemptOutcome outcome = AttemptOutcome.decide(AttemptOutcome.Attempt.of(row), cause, clock,
                    ThreadLocalRandom.current().nextDouble());
            ends.add(outcome.end(row.run().scope(), row.run().runId()));
            events.add(new RunEvents(row.run().scope(), row.run().runId(), outcome.events()));
        }
        int written = store.runsAttemptEnd(h, ends).size();
        if (written != locked.size()) {
            throw new IllegalStateException("ended " + written + " of " + locked.size() + " locked runs");
        }
        Map<String, StoredRun> after = new HashMap<>();
        for (StoredRun row : ledger.eventsAppend(h, events)) {
            after.put(key(row), row);
        }
        List<StoredRun> ordered = new ArrayList<>(locked.size());
        for (StoredRun row : locked) {
            StoredRun ended = after.get(key(row));
            if (ended == null) {
                throw new IllegalStateException("run " + row.run().runId() + " vanished while its attempt ended");
            }
            ordered.add(ended);
        }
        return ordered;
    }

    private static String key(StoredRun row) {
        return row.run().scope() + '/' + row.run().runId(); // scope names hold no '/'
    }
}
