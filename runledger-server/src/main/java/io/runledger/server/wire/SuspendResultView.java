package io.runledger.server.wire;

import java.util.List;

/** The answer to a suspend: suspended, or not (every waitpoint was complete) with the results. */
public record SuspendResultView(
        boolean suspended,
        List<WaitResultView> results) {
}
