package io.runledger.api;

/**
 * How many runs of a service wait in the queue, and how long the oldest has waited.
 *
 * @param scope the scope
 * @param service the service
 * @param depth runs in the queue (status {@code accepted})
 * @param oldestAgeSeconds seconds since the oldest of them was created; 0 when the queue is empty
 */
public record QueueStat(String scope, String service, long depth, double oldestAgeSeconds) {
}
