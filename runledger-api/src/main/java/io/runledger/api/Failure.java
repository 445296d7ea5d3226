package io.runledger.api;

/**
 * One item of {@link Workers#failAll}: the run, the token of the lease whose attempt
 * failed, the error, and whether the failure may be retried.
 */
public record Failure(String runId, String leaseToken, RunError error, boolean retryable) {
}
