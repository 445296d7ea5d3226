package io.runledger.core.internal.store;

import java.time.Instant;
import java.util.Map;

/**
 * A row of {@code batches} with how many of its runs are in each status (wire name to
 * count); {@link BatchStore#batchInsert} returns no counts, a new batch has no runs yet.
 */
public record BatchRow(String scope, String batchId, String service, int size, Instant createdAt,
                       Map<String, Integer> counts) {
}
