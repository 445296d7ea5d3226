package io.runledger.api;

import java.time.Instant;

/**
 * The answer to a trigger. It is only ever returned after the run and its
 * {@code run.accepted} event are committed. {@code replayed} is true when an idempotency
 * key mapped the request to an existing run.
 *
 * @param runId the run
 * @param scope its scope
 * @param service its service
 * @param status its status as of the receipt, e.g. {@code accepted}, or {@code scheduled} for a delayed run
 * @param commandId the trigger's idempotency key, else an id generated for it
 * @param correlationId the correlation id given, or null
 * @param createdAt when the run was registered
 * @param replayed true if the idempotency key mapped the request to an existing run
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
