package io.runledger.api;

/**
 * A created token waitpoint. {@code callbackUrl} completes it without an API key: absolute
 * when a server answers (its origin and {@code /v1/callbacks/{secret}}), the path alone from
 * the embedded engine, which knows no host; the secret is shown here once and only its hash is kept, so an
 * idempotent repeat of the create ({@code replayed}) carries none.
 *
 * @param waitpoint the token waitpoint
 * @param callbackUrl the URL that completes it without a key; null on a replayed create
 * @param replayed true when an earlier create with the same idempotency key made it
 */
public record NewWaitpoint(Waitpoint waitpoint, String callbackUrl, boolean replayed) {
}
