package io.runledger.server.wire;

/** Where the run of a receipt is read, paged and streamed. */
public record ReceiptLinksView(
        String self,
        String events,
        String stream) {
}
