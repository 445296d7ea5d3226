/**
 * Server-Sent Events of a run's ledger: resumable with {@code Last-Event-ID}, keep-alive
 * comments, and trigger-and-stream.
 */
package io.runledger.server.stream;
