package io.runledger.api;

/** One item of {@link Workers#heartbeatAll}: a run and the token of the lease held on it. */
public record LeaseRef(String runId, String leaseToken) {
}
