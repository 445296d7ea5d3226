/**
 * The contract of RunLedger: every operation a caller, worker or operator has, as
 * interfaces grouped under {@link io.runledger.api.Ledger} ({@link io.runledger.api.Runs},
 * {@link io.runledger.api.Workers}, {@link io.runledger.api.Signals},
 * {@link io.runledger.api.Batches}, {@link io.runledger.api.Webhooks},
 * {@link io.runledger.api.Admin}), their records, and the failures they raise (the sealed
 * {@link io.runledger.api.RunLedgerException} family, each with the stable code the HTTP API
 * answers). The embedded engine and the HTTP client both implement it, so code written against
 * it runs unchanged in-process or against a remote server.
 */
package io.runledger.api;
