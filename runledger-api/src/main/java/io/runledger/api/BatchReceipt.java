package io.runledger.api;

import java.util.List;

/**
 * A registered batch: its id and one receipt per item, in item order.
 *
 * @param batchId the batch's id
 * @param receipts one receipt per item, in item order
 */
public record BatchReceipt(String batchId, List<Receipt> receipts) {
}
