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
    /**
     * Executes the attempt.
     *
     * @param context the run, its lease and what it can do: events, steps, waits, children
     * @param input the run's input
     * @return the run's output
     * @throws Exception to fail the attempt
     */
    JsonNode handle(RunContext context, JsonNode input) throws Exception;
}
