/**
 * Signals to a run: a {@code run.signal} event plus an outbound message its worker gets on
 * the next heartbeat and acknowledges.
 */
package io.runledger.core.internal.signals;
