package io.runledger.server.wire;

import java.util.List;

/** The runs a lease call got; empty when none came within the wait. */
public record LeasesView(
        List<LeaseView> leases) {
}
