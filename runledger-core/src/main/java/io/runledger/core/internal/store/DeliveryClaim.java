package io.runledger.core.internal.store;

/**
 * A webhook delivery claimed for one attempt: {@code attempt} is its number (the claim
 * counted it), {@code url} and {@code secret} are null if the webhook was deleted meanwhile.
 * {@code payload} is the body an alert delivery carries; null for a run event, whose body is
 * built from the ledger when it is sent.
 */
public record DeliveryClaim(String scope, String deliveryId, String webhookId, String runId, long seq, int attempt,
                            String url, String secret, String payload) {
    /** The key the claim statement's {@code busy} list uses. */
    public String webhookKey() {
        return scope + "/" + webhookId;
    }
}
