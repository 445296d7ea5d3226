package io.runledger.api;

import java.time.Instant;

/**
 * The answer to a trigger. It is only ever returned after the run and its
 * {@code run.accepted} event are committed. {@code replayed} is true when an idempotency
 * key mapped the request to an existing run.
 */
public record Receipt(
        String runId,
        String scope,
        String service,
        RunStatus status,
        String commandId,
        String correlationId,
        Instant createdAt,
        boolean replayed) {
}
