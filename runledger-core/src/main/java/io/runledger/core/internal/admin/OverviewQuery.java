package io.runledger.core.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Overview;
import io.runledger.api.OverviewWindow;
import io.runledger.core.internal.store.OverviewStore;
import io.runledger.core.internal.store.OverviewStore.BucketCount;
import io.runledger.core.internal.store.OverviewStore.DurationBin;
import io.runledger.core.internal.store.OverviewStore.Slot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles a scope's overview. Windows whose buckets are whole half-hours (24 hours, 7 days)
 * take the half-hours already folded into {@code run_stats} from there and count only the
 * rest from the runs; the short windows count everything from the runs. Every service gets
 * every bucket of the window, zeros included, so a chart's bars line up across services.
 */
final class OverviewQuery {
    /** The width of a duration bin, as in overview.sql: bin i holds 1.1^i to 1.1^(i+1) ms. */
    private static final double BIN_RATIO = 1.1;

    private final OverviewStore store;

    OverviewQuery(OverviewStore store) {
        this.store = store;
    }

    /** The overview as of the transaction's start; the scope must exist. */
    Overview read(org.jdbi.v3.core.Handle h, String scope, OverviewWindow window) {
        Instant to = store.now(h);
        long size = window.bucket().toSeconds();
        int n = window.buckets();
        // Buckets are aligned to multiples of their size since the epoch, so two readers a few
        // seconds apart draw the same bars, and the last one holds now.
        long lastStart = Math.floorDiv(to.getEpochSecond(), size) * size;
        Instant from = Instant.ofEpochSecond(lastStart - (n - 1) * size);

        List<OverviewStore.Now> now = store.now(h, scope);
        Map<String, Series> series = new HashMap<>();
        for (OverviewStore.Now s : now) {
            series.put(s.service(), new Series(n));
        }
        Instant since = from;
        if (size % OverviewStore.SLOT.toSeconds() == 0) {
            Instant folded = store.folded(h).foldedUntil();
            if (folded != null && folded.isAfter(from)) {
                since = folded;
                for (Slot slot : store.slots(h, scope, from, folded)) {
                    Series s = series.get(slot.service());
                    int i = index(slot.start(), from, size, n);
                    if (s != null && i >= 0) {
                        s.add(i, Outcome.TRIGGERED, slot.triggered());
                        s.add(i, Outcome.SUCCEEDED, slot.succeeded());
                        s.add(i, Outcome.FAILED, slot.failed());
                        s.add(i, Outcome.CANCELLED, slot.cancelled());
                        s.add(i, Outcome.EXPIRED, slot.expired());
                        for (Iterator<Map.Entry<String, JsonNode>> it = slot.durations().fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> bin = it.next();
                            s.durations.merge(Integer.parseInt(bin.getKey()), bin.getValue().asLong(), Long::sum);
                        }
                    }
                }
            }
        }
        for (BucketCount c : store.created(h, scope, from, since, size)) {
            add(series, c, Outcome.TRIGGERED, from, size, n);
        }
        for (BucketCount c : store.settled(h, scope, from, since, size)) {
            add(series, c, Outcome.of(c.status()), from, size, n);
        }
        for (DurationBin d : store.durations(h, scope, since)) {
            Series s = series.get(d.service());
            if (s != null) {
                s.durations.merge(d.bin(), d.runs(), Long::sum);
            }
        }

        List<Overview.ServiceOverview> services = new ArrayList<>();
        for (OverviewStore.Now s : now) {
            services.add(series.get(s.service()).overview(s, from, size));
        }
        return new Overview(scope, window, from, to, services);
    }

    /** The bucket an instant falls into, or -1 outside the window. */
    private static int index(Instant at, Instant from, long size, int n) {
        long i = Math.floorDiv(at.getEpochSecond() - from.getEpochSecond(), size);
        return i < 0 || i >= n ? -1 : (int) i;
    }

    /**
     * Counts a row into its bucket. A row past the last bucket was committed after this
     * transaction's now (each statement reads its own snapshot): it belongs to the next read.
     */
    private static void add(Map<String, Series> series, BucketCount c, Outcome outcome, Instant from, long size,
                            int n) {
        Series s = series.get(c.service());
        int i = index(c.bucket(), from, size, n);
        if (s != null && i >= 0 && outcome != null) {
            s.add(i, outcome, c.runs());
        }
    }

    /** One service's buckets and duration bins while they are being added up. */
    private static final class Series {
        final long[][] counts;
        final TreeMap<Integer, Long> durations = new TreeMap<>();

        Series(int n) {
            counts = new long[n][Outcome.values().length];
        }

        void add(int bucket, Outcome outcome, long runs) {
            counts[bucket][outcome.ordinal()] += runs;
        }

        Overview.ServiceOverview overview(OverviewStore.Now now, Instant from, long size) {
            long[] total = new long[Outcome.values().length];
            List<Overview.Bucket> buckets = new ArrayList<>(counts.length);
            for (int i = 0; i < counts.length; i++) {
                long[] b = counts[i];
                for (int k = 0; k < total.length; k++) {
                    total[k] += b[k];
                }
                buckets.add(new Overview.Bucket(from.plusSeconds(i * size), b[0], b[1], b[2], b[3], b[4]));
            }
            long judged = total[Outcome.SUCCEEDED.ordinal()] + total[Outcome.FAILED.ordinal()];
            Double failureRate = judged == 0 ? null : (double) total[Outcome.FAILED.ordinal()] / judged;
            return new Overview.ServiceOverview(now.service(), total[0], total[1], total[2], total[3], total[4],
                    failureRate, percentile(0.5), percentile(0.95), now.queued(), now.oldestQueuedAgeSeconds(),
                    now.running(), now.waiting(), buckets);
        }

        /**
         * The nearest-rank percentile from the bins, as the middle of its bin on the log
         * scale (within 5% of the exact value); null when no run is in any bin.
         */
        Double percentile(double p) {
            long runs = durations.values().stream().mapToLong(Long::longValue).sum();
            if (runs == 0) {
                return null;
            }
            long rank = Math.max(1, (long) Math.ceil(p * runs));
            long seen = 0;
            for (Map.Entry<Integer, Long> bin : durations.entrySet()) {
                seen += bin.getValue();
                if (seen >= rank) {
                    return bin.getKey() == 0 ? 1.0 : Math.pow(BIN_RATIO, bin.getKey() + 0.5);
                }
            }
            throw new IllegalStateException("the ranks add up to " + runs);
        }
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
