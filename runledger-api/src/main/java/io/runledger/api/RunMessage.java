package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A signal sent to a run, as an outbound message to its worker. {@code status} moves from
 * {@code pending} (sent) to {@code delivered} (a heartbeat handed it over) to {@code acked}
 * (the worker dealt with it).
 *
 * @param messageId the message's id
 * @param runId the run it was sent to
 * @param seq the seq of its {@code run.signal} event in the run's ledger
 * @param type the signal's type
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param data the signal's data
 * @param status {@code pending}, {@code delivered} or {@code acked}
 * @param createdAt when it was sent
 * @param deliveredAt when a heartbeat handed it over, or null
 * @param ackedAt when the worker acknowledged it, or null
 */
public record RunMessage(String messageId, String runId, long seq, String type, String severity, JsonNode data,
                         String status, Instant createdAt, Instant deliveredAt, Instant ackedAt) {
}
