/**
 * The Java client of a RunLedger server, implementing the same {@code io.runledger.api.Ledger}
 * contract as the embedded engine, and the worker SDK ({@link io.runledger.client.Worker})
 * that leases, heartbeats and settles runs for handlers, in-process or over HTTP.
 */
package io.runledger.client;
