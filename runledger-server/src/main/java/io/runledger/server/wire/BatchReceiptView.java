package io.runledger.server.wire;

import java.util.List;

/** The answer to a batch: every run registered, in item order. */
public record BatchReceiptView(
        String batchId,
        List<String> runIds,
        List<BatchItemReceiptView> receipts) {
}
