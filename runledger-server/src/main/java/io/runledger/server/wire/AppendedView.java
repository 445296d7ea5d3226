package io.runledger.server.wire;

import java.util.List;

/** The seqs the appended events got, in order. */
public record AppendedView(
        List<Long> seqs) {
}
