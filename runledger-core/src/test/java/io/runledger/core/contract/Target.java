package io.runledger.core.contract;

import io.runledger.api.Ledger;
import io.runledger.api.Maintenance;

/**
 * What the contract suite runs against: the embedded engine, or a client talking to a real
 * server. Either way one engine on the shared test database does the work, so a test may
 * also look at the database and drive the engine's background work one pass at a time.
 */
public interface Target extends AutoCloseable {

    /** Creates the scope if need be and returns a ledger that acts in it (and only in it). */
    Ledger open(String scope);

    /** A ledger with admin rights: scopes and their keys. */
    Ledger admin();

    /** The engine's background work (sweeps, queue, webhook dispatch), one pass per call. */
    Maintenance maintenance();

    @Override
    void close();
}
