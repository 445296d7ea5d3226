package io.runledger.core.internal.store;

import io.runledger.api.RunStatus;

/** The waiting run that took a free concurrency key. */
public record KeyHandOver(String runId, String service, RunStatus status) {
}
