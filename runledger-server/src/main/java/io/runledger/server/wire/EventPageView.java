package io.runledger.server.wire;

import java.util.List;

/** A page of a run's ledger; {@code nextAfter} is the {@code after} of the next page. */
public record EventPageView(
        List<EventView> items,
        long nextAfter) {
}
