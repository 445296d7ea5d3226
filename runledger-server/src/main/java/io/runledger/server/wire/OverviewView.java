package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.runledger.api.OverviewWindow;
import java.time.Instant;
import java.util.List;

/** How a scope's services are doing over a window, in buckets, and what they hold now. */
public record OverviewView(
        String scope,
        OverviewWindow window,
        @JsonPropertyDescription("the start of the first bucket") Instant from,
        @JsonPropertyDescription("now, on the database's clock: the last bucket ends here") Instant to,
        @JsonPropertyDescription("the size of every bucket") long bucketSeconds,
        List<Service> services) {

    /** One service over the window. */
    public record Service(
            String service,
            @JsonPropertyDescription("runs created in the window") long triggered,
            @JsonPropertyDescription("runs that settled succeeded in the window") long succeeded,
            @JsonPropertyDescription("runs that settled failed in the window") long failed,
            @JsonPropertyDescription("runs that settled cancelled in the window") long cancelled,
            @JsonPropertyDescription("runs that expired in the window") long expired,
            @Nullable @JsonPropertyDescription("failed ÷ (succeeded + failed); null when none settled so")
            Double failureRate,
            @Nullable @JsonPropertyDescription("median first start to settlement, in ms, of the runs that"
                    + " succeeded or failed in the window, within 5%") Double durationP50Ms,
            @Nullable @JsonPropertyDescription("95th percentile of the same, within 5%") Double durationP95Ms,
            @JsonPropertyDescription("runs queued now") long queued,
            @JsonPropertyDescription("seconds since the oldest queued run was created; 0 when none")
            double oldestQueuedAgeSeconds,
            @JsonPropertyDescription("runs running now") long running,
            @JsonPropertyDescription("runs waiting now") long waiting,
            @JsonPropertyDescription("every bucket of the window, oldest first") List<Bucket> buckets) {
    }

    /** The runs of one service in one bucket. */
    public record Bucket(
            Instant start,
            long triggered,
            long succeeded,
            long failed,
            long cancelled,
            long expired) {
    }
}
