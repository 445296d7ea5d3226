package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** One item's receipt; {@code replayed} when its idempotency key named an existing run. */
public record BatchItemReceiptView(
        @JsonUnwrapped ReceiptView receipt,
        boolean replayed) {
}
