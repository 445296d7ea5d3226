/**
 * The standalone RunLedger server: HTTP API v1 over the core engine ({@link io.runledger.server.RunLedgerServer}),
 * SSE streams, API-key auth and the {@code runledger} CLI ({@code io.runledger.server.cli.Main}).
 */
package io.runledger.server;
