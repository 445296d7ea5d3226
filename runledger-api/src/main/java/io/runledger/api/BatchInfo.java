package io.runledger.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A batch of runs registered together, with how many of its runs are in each status. */
public record BatchInfo(String batchId, String scope, String service, int size, Instant createdAt,
                        List<String> runIds, Map<String, Integer> counts) {
}
