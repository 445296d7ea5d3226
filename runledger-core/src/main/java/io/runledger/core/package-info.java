/**
 * The embeddable engine. {@link io.runledger.core.RunLedger} (built with its builder) is
 * the only public type here: it implements the {@code io.runledger.api.Ledger} contract over
 * PostgreSQL (an embedded one by default) and runs the background loops. Everything else is
 * in {@code internal} packages, one per feature around a small kernel.
 */
package io.runledger.core;
