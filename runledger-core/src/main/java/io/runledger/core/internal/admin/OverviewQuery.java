package io.runledger.core.internal.admin;

import io.runledger.api.Overview;
import io.runledger.api.OverviewWindow;
import io.runledger.core.internal.store.OverviewStore;
import io.runledger.core.internal.store.OverviewStore.BucketCount;
import io.runledger.core.internal.store.OverviewStore.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Assembles a scope's overview from the store's counts: every service gets every bucket of
 * the window, zeros included, so a chart's bars line up across services and time.
 */
final class OverviewQuery {
    private final OverviewStore store;

    OverviewQuery(OverviewStore store) {
        this.store = store;
    }

    /** The overview as of the transaction's start; the scope must exist. */
    Overview read(Handle h, String scope, OverviewWindow window) {
        Instant to = store.now(h);
        long size = window.bucket().toSeconds();
        int n = window.buckets();
        // Buckets are aligned to multiples of their size since the epoch, so two readers a few
        // seconds apart draw the same bars, and the last one holds now.
        long lastStart = Math.floorDiv(to.getEpochSecond(), size) * size;
        Instant from = Instant.ofEpochSecond(lastStart - (n - 1) * size);

        Map<String, long[][]> counts = new HashMap<>();
        List<OverviewStore.Now> now = store.now(h, scope);
        for (OverviewStore.Now s : now) {
            counts.put(s.service(), new long[n][Outcome.values().length]);
        }
        for (BucketCount c : store.created(h, scope, from, size)) {
            add(counts, c, Outcome.TRIGGERED, n);
        }
        for (BucketCount c : store.settled(h, scope, from, size)) {
            add(counts, c, Outcome.of(c.status()), n);
        }
        Map<String, Durations> durations = new HashMap<>();
        for (Durations d : store.durations(h, scope, from)) {
            durations.put(d.service(), d);
        }

        List<Overview.ServiceOverview> services = new ArrayList<>();
        for (OverviewStore.Now s : now) {
            long[][] buckets = counts.get(s.service());
            long[] total = new long[Outcome.values().length];
            List<Overview.Bucket> series = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long[] b = buckets[i];
                for (int k = 0; k < total.length; k++) {
                    total[k] += b[k];
                }
                series.add(new Overview.Bucket(from.plusSeconds(i * size), b[0], b[1], b[2], b[3], b[4]));
            }
            long judged = total[Outcome.SUCCEEDED.ordinal()] + total[Outcome.FAILED.ordinal()];
            Double failureRate = judged == 0 ? null : (double) total[Outcome.FAILED.ordinal()] / judged;
            Durations d = durations.get(s.service());
            services.add(new Overview.ServiceOverview(s.service(), total[0], total[1], total[2], total[3], total[4],
                    failureRate, d == null ? null : d.p50Ms(), d == null ? null : d.p95Ms(), s.queued(),
                    s.oldestQueuedAgeSeconds(), s.running(), s.waiting(), series));
        }
        return new Overview(scope, window, from, to, services);
    }

    /**
     * Counts a row into its bucket. A row past the last bucket was committed after this
     * transaction's now (each statement reads its own snapshot): it belongs to the next read.
     */
    private static void add(Map<String, long[][]> counts, BucketCount c, Outcome outcome, int n) {
        long[][] buckets = counts.get(c.service());
        if (buckets == null || c.bucket() < 0 || c.bucket() >= n || outcome == null) {
            return;
        }
        buckets[c.bucket()][outcome.ordinal()] += c.runs();
    }

    /** The columns of a bucket, in the order of {@link Overview.Bucket}'s counts. */
    private enum Outcome {
        TRIGGERED, SUCCEEDED, FAILED, CANCELLED, EXPIRED;

        static Outcome of(String status) {
            return switch (status) {
                case "succeeded" -> SUCCEEDED;
                case "failed" -> FAILED;
                case "cancelled" -> CANCELLED;
                case "expired" -> EXPIRED;
                default -> null;
            };
        }
    }
}
