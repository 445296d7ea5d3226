package io.runledger.core.internal.store;

/** Queued (accepted) runs of one service, and the age of the oldest in seconds. */
public record QueueStatRow(String scope, String service, long depth, double oldestAgeSeconds) {
}
