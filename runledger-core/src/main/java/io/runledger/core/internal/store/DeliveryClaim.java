package io.runledger.core.internal.store;

/**
 * A webhook delivery claimed for one attempt: {@code attempt} is its number (the claim
 * counted it), {@code attemptsBefore} how many of those came before its last redelivery (0 if
 * none), {@code url} and {@code secret} are null if the webhook was deleted meanwhile.
 * {@code payload} is the body an alert delivery carries; null for a run event, whose body is
 * built from the ledger when it is sent.
 */
public record DeliveryClaim(String scope, String deliveryId, String webhookId, String runId, long seq, int attempt,
                            int attemptsBefore, String url, String secret, String payload) {
    /** {@return the attempt's number in its series: since the delivery was created or last redelivered} */
    public int seriesAttempt() {
        return attempt - attemptsBefore;
    }

    /** The key the claim statement's {@code busy} list uses. */
    public String webhookKey() {
        return scope + "/" + webhookId;
    }
}
