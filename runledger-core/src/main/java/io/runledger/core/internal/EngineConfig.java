package io.runledger.core.internal;

import io.runledger.api.DispatchResult;
import io.runledger.api.LedgerListener;
import io.runledger.api.QueueResult;
import io.runledger.api.SweepResult;
import io.runledger.core.internal.webhooks.AddressPolicy;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Everything the engine is wired from, as validated by {@code RunLedger.Builder}.
 * {@code residentIds}: the engine is on a dedicated runs database and marks the ids it mints
 * (see {@code RunIds}).
 */
public record EngineConfig(
        boolean backgroundLoops,
        Duration sweepInterval,
        Duration queueInterval,
        Duration dispatchInterval,
        Duration idempotencyTtl,
        int batchSize,
        Consumer<SweepResult> onSweep,
        Consumer<QueueResult> onQueue,
        Consumer<DispatchResult> onDispatch,
        LedgerListener listener,
        AddressPolicy webhookPolicy,
        Webhooks webhooks,
        Duration retentionInterval,
        boolean residentIds) {

    /** Webhook delivery: attempts, retry backoff, per-attempt deadline and concurrency. */
    public record Webhooks(int maxAttempts, Duration retryBase, Duration retryMax, Duration timeout,
                           int concurrencyPerTarget, int maxInFlight) {
    }
}
