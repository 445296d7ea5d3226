/**
 * The worker's side of a run: lease (one SKIP LOCKED claim, long-polled), heartbeat,
 * append, complete and fail, each fenced by the lease token, and the one decision of what a
 * failed or lost attempt becomes (retry, fail or cancel) with the events it writes.
 * Polls and completions that queue behind each other are claimed and settled together
 * ({@code LeaseClaims}, {@code CompletionGroup}).
 */
package io.runledger.core.internal.leases;
