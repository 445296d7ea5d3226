package io.runledger.api;

import java.time.Instant;
import java.util.List;

/**
 * How a scope's services are doing over a window: per service, the runs triggered and settled
 * in each bucket, the failure rate and durations of the runs settled in the window, and the
 * queue, running and waiting runs now.
 *
 * @param scope the scope
 * @param window the window
 * @param from the start of the first bucket (a multiple of the bucket size since the epoch)
 * @param to now, on the database's clock: the last bucket ends here
 * @param services one entry per service of the scope, by name
 */
public record Overview(String scope, OverviewWindow window, Instant from, Instant to,
                       List<ServiceOverview> services) {
    /** Copies the list. */
    public Overview {
        services = List.copyOf(services);
    }

    /**
     * One service over the window.
     *
     * @param service the service
     * @param triggered runs created in the window
     * @param succeeded runs that settled succeeded in the window
     * @param failed runs that settled failed in the window
     * @param cancelled runs that settled cancelled in the window
     * @param expired runs that expired in the window
     * @param failureRate failed ÷ (succeeded + failed) in the window; null when none settled so
     * @param durationP50Ms the median time from first start to settlement of the runs that
     *     succeeded or failed in the window, in milliseconds, within 5% (durations are counted
     *     in log-scale bins); null when there were none
     * @param durationP95Ms the 95th percentile of the same, within 5%; null when there were none
     * @param queued runs queued now (status {@code accepted})
     * @param oldestQueuedAgeSeconds seconds since the oldest queued run was created; 0 when none
     * @param running runs running now
     * @param waiting runs waiting now (on a waitpoint, a child or a batch)
     * @param buckets the window's buckets, oldest first, every one present (zeros included)
     */
    public record ServiceOverview(String service, long triggered, long succeeded, long failed, long cancelled,
                                  long expired, Double failureRate, Double durationP50Ms, Double durationP95Ms,
                                  long queued, double oldestQueuedAgeSeconds, long running, long waiting,
                                  List<Bucket> buckets) {
        /** Copies the list. */
        public ServiceOverview {
            buckets = List.copyOf(buckets);
        }
    }

    /**
     * The runs of one service in one bucket: created in it, and settled in it by outcome.
     *
     * @param start the bucket's start; it ends where the next one starts
     * @param triggered runs created in the bucket
     * @param succeeded runs that settled succeeded in the bucket
     * @param failed runs that settled failed in the bucket
     * @param cancelled runs that settled cancelled in the bucket
     * @param expired runs that expired in the bucket
     */
    public record Bucket(Instant start, long triggered, long succeeded, long failed, long cancelled, long expired) {
    }
}
