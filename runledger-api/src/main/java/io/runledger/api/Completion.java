package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One item of {@link Workers#completeAll}: the run, the token of the lease that completes
 * it, and its output (null stores JSON {@code null}).
 *
 * @param runId the run
 * @param leaseToken the token of the lease that completes it
 * @param output its output; null stores JSON {@code null}
 */
public record Completion(String runId, String leaseToken, JsonNode output) {
}
