package io.runledger.api;

/**
 * One item of {@link Workers#failAll}: the run, the token of the lease whose attempt
 * failed, the error, whether the failure may be retried, and optionally how long to wait
 * before the retry ({@code retryAfterSeconds}, overriding the retry policy's delay once).
 *
 * @param runId the run
 * @param leaseToken the token of the lease whose attempt failed
 * @param error what went wrong, with its code
 * @param retryable false fails the run at once; true retries it while attempts remain
 * @param retryAfterSeconds seconds until the retry, instead of the policy's delay; null: the policy's
 */
public record Failure(String runId, String leaseToken, RunError error, boolean retryable, Double retryAfterSeconds) {

    /**
     * A failure retried, if at all, after the retry policy's delay.
     *
     * @param runId the run
     * @param leaseToken the token of the lease whose attempt failed
     * @param error what went wrong, with its code
     * @param retryable false fails the run at once; true retries it while attempts remain
     */
    public Failure(String runId, String leaseToken, RunError error, boolean retryable) {
        this(runId, leaseToken, error, retryable, null);
    }
}
