package io.runledger.client;

import java.time.Instant;

/**
 * A token waitpoint created by {@link RunContext#createToken}: hand {@code callbackUrl} (or
 * the id) to whoever completes it, then {@link RunContext#waitForToken wait for it}.
 * {@code callbackUrl} carries a secret the server shows only once, so it is never recorded in
 * the ledger: a replayed {@code createToken} returns the same waitpoint with a null
 * {@code callbackUrl} (complete it by id then, or hand the URL on before the next wait).
 * {@code expiresAt} is null for a token without a timeout.
 *
 * @param waitpointId the token's id
 * @param callbackUrl the URL that completes it without a key; null when replayed
 * @param expiresAt when it times out, or null
 */
public record WaitToken(String waitpointId, String callbackUrl, Instant expiresAt) {
}
