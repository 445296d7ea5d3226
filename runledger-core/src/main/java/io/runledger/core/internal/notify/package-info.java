/**
 * Wake-ups: one LISTEN connection per engine turns NOTIFYs into local wake-ups, which end
 * long waits (lease polls, run waits, feeds) early; the ledger stays the data path, so a lost
 * notification costs latency, never an event.
 */
package io.runledger.core.internal.notify;
