package io.runledger.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A batch of runs registered together, with how many of its runs are in each status.
 *
 * @param batchId the batch's id
 * @param scope the scope it belongs to
 * @param service the service of its runs
 * @param size how many runs it registered
 * @param createdAt when it was registered
 * @param runIds its runs, in the order of the request's items
 * @param counts how many of its runs are in each status, by wire name
 */
public record BatchInfo(String batchId, String scope, String service, int size, Instant createdAt,
                        List<String> runIds, Map<String, Integer> counts) {
}
