package io.runledger.api;

/**
 * One item of {@link Workers#heartbeatAll}: a run and the token of the lease held on it.
 *
 * @param runId the run
 * @param leaseToken the token of the lease held on it
 */
public record LeaseRef(String runId, String leaseToken) {
}
