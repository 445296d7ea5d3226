package io.runledger.core.internal.maintenance;

import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.OverviewStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Folds each half-hour that is over into {@code run_stats}: per service, the runs created
 * and settled in it by outcome, and their durations in log-scale bins, so that the overview's
 * 24-hour and 7-day windows read a few hundred rows instead of counting every run again.
 *
 * <p>A half-hour is folded {@link #GRACE} after it ends: a run's {@code created_at} and
 * {@code finished_at} are its transaction's start, so a transaction that began inside the
 * half-hour may commit a little after it. Folding again writes the same rows (an upsert), and
 * one transaction folds one half-hour and moves the mark past it, under a lock that other
 * instances skip, so any number of instances share the work without counting twice. The
 * first pass starts just beyond the widest window; a pass folds at most {@link #MAX_SLOTS}
 * half-hours, so a backlog is caught up over a few passes. Slots older than the widest
 * window are deleted. Runs deleted by retention later stay counted: they did happen.
 */
public final class RunStatsFolder {
    static final Duration GRACE = Duration.ofMinutes(2);
    /** A day of half-hours per pass. */
    static final int MAX_SLOTS = 48;
    /** Beyond the widest window (7 days, in buckets of 4 hours aligned to the epoch). */
    static final Duration KEEP = Duration.ofDays(7).plusHours(8);

    private final Tx tx;
    private final OverviewStore store;

    public RunStatsFolder(Tx tx, OverviewStore store) {
        this.tx = tx;
        this.store = store;
    }

    /** Folds the half-hours that are over and not folded yet, up to a day of them; returns how many. */
    public int runOnce() {
        int folded = 0;
        while (folded < MAX_SLOTS && tx.run((h, changes) -> {
            Optional<OverviewStore.Folded> lock = store.foldLock(h);
            if (lock.isEmpty()) {
                return false; // another instance is folding
            }
            Instant now = store.now(h);
            long slot = OverviewStore.SLOT.toSeconds();
            Instant start = lock.get().foldedUntil() != null ? lock.get().foldedUntil()
                    : Instant.ofEpochSecond(Math.floorDiv(now.minus(KEEP).getEpochSecond(), slot) * slot);
            Instant end = start.plus(OverviewStore.SLOT);
            if (end.plus(GRACE).isAfter(now)) {
                return false;
            }
            store.fold(h, start, end);
            store.foldedSet(h, end);
            store.purge(h, now.minus(KEEP));
            return true;
        })) {
            folded++;
        }
        return folded;
    }
}
