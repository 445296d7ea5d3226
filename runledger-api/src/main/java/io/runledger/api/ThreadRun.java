package io.runledger.api;

/**
 * A run as its thread sees it.
 *
 * @param run the run
 * @param interrupted true when it is {@code waiting} and at least one waitpoint of its open
 *        suspend is a pending token: it waits for someone, not for time or other runs
 */
public record ThreadRun(Run run, boolean interrupted) {
}
