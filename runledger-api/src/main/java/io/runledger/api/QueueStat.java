package io.runledger.api;

/** How many runs of a service wait in the queue, and how long the oldest has waited. */
public record QueueStat(String scope, String service, long depth, double oldestAgeSeconds) {
}
