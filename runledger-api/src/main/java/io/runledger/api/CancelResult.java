package io.runledger.api;

/**
 * The answer to a cancel. {@code settled} is true when the run is terminal now (cancelled
 * at once, or already settled); false when a stop was requested of a running worker.
 *
 * @param run the run after the cancel
 * @param settled true if the run is terminal now; false if its worker was asked to stop
 */
public record CancelResult(Run run, boolean settled) {
}
