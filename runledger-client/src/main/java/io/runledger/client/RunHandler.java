package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Executes one attempt of a run. Return the output to succeed; throw to fail (retryable
 * unless it is a {@link NonRetryableException}). When a stop is requested the handler's
 * thread is interrupted and {@link RunContext#stopRequested()} turns true; whatever it then
 * throws (or returns) settles the run {@code cancelled}.
 */
@FunctionalInterface
public interface RunHandler {
    JsonNode handle(RunContext context, JsonNode input) throws Exception;
}
