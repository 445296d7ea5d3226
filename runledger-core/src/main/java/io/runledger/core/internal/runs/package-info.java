/**
 * The caller's side of a run: trigger (and its dry run, the preflight), reads and waits,
 * live feeds, cancel, and the projection (the run row as a fold of its ledger, and its
 * rebuild).
 */
package io.runledger.core.internal.runs;
