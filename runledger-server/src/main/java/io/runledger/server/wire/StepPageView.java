package io.runledger.server.wire;

import java.util.List;

/** A page of a run's steps; {@code nextAfter} is null on the last page. */
public record StepPageView(
        List<StepRecordView> items,
        @Nullable Long nextAfter) {
}
