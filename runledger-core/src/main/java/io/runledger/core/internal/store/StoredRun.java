package io.runledger.core.internal.store;

import io.runledger.api.Run;

/** A run with the columns the engine needs but the API does not show. */
public record StoredRun(Run run, String leaseToken, boolean holdsKey, int leaseTtlSeconds, String stopReason) {
}
