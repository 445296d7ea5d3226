package io.runledger.core.internal.runs;

import io.runledger.api.CancelResult;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.KeyCancelResult;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.IdempotencyRow;
import io.runledger.core.internal.store.IdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Stops by idempotency key, so that a stop pressed before the run exists is never lost. The
 * stop and the trigger meet on the key's row: the trigger claims it (insert or take-over)
 * and the stop writes or locks it, so whichever comes second waits for the first to commit
 * and then sees it. A stop after the trigger cancels the run; a trigger after the stop finds
 * the stop in its own claim statement and registers its run cancelled.
 */
public final class KeyStops {
    private final Tx tx;
    private final TriggerOps triggers;
    private final IdempotencyStore idempotency;
    private final CancelOps cancels;
    private final long ttlSeconds;

    public KeyStops(Tx tx, TriggerOps triggers, IdempotencyStore idempotency, CancelOps cancels,
                    Duration idempotencyTtl) {
        this.tx = tx;
        this.triggers = triggers;
        this.idempotency = idempotency;
        this.cancels = cancels;
        this.ttlSeconds = idempotencyTtl.toSeconds();
    }

    public KeyCancelResult cancelByKey(String scope, String service, String key, String reason) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        if (key == null) {
            throw new InvalidArgumentException("idempotencyKey is required");
        }
        Limits.optionalText("idempotencyKey", key, Limits.MAX_KEY_LENGTH);
        Limits.optionalText("reason", reason, Limits.MAX_REASON_LENGTH);
        return tx.run((h, changes) -> {
            triggers.requireService(h, scope, service);
            Optional<Instant> recorded = idempotency.idempotencyStop(h, scope, service, key, reason, ttlSeconds);
            if (recorded.isPresent()) {
                return new KeyCancelResult(key, null, false, recorded.get());
            }
            // The key is live and this transaction holds its row: it names a run committed
            // before, or a stop recorded before (a repeated stop keeps the first one).
            IdempotencyRow row = idempotency.idempotencyGet(h, scope, service, key)
                    .orElseThrow(() -> new IllegalStateException("idempotency key vanished while locked"));
            if (row.stopOnly()) {
                return new KeyCancelResult(key, null, false, row.stopRequestedAt());
            }
            CancelResult result = cancels.cancel(h, changes, scope, row.runId(), reason, true);
            return new KeyCancelResult(key, result.run(), result.settled(), null);
        });
    }
}
