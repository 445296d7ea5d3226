/**
 * Batches: many runs of one service registered in one transaction, all or none, and
 * their status counts.
 */
package io.runledger.core.internal.batches;
