package io.runledger.api;

/**
 * One item of {@link Workers#failAll}: the run, the token of the lease whose attempt
 * failed, the error, whether the failure may be retried, and optionally how long to wait
 * before the retry ({@code retryAfterSeconds}, overriding the retry policy's delay once).
 */
public record Failure(String runId, String leaseToken, RunError error, boolean retryable, Double retryAfterSeconds) {

    public Failure(String runId, String leaseToken, RunError error, boolean retryable) {
        this(runId, leaseToken, error, retryable, null);
    }
}
