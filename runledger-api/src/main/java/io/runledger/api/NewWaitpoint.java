package io.runledger.api;

/**
 * A created token waitpoint. {@code callbackPath} ({@code /v1/callbacks/{secret}}) completes
 * it without an API key; the secret is shown here once and only its hash is kept, so an
 * idempotent repeat of the create ({@code replayed}) carries none.
 */
public record NewWaitpoint(Waitpoint waitpoint, String callbackPath, boolean replayed) {
}
