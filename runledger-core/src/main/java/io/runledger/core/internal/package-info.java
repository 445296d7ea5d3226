/**
 * The engine's wiring: {@link io.runledger.core.internal.Engine} builds the stores, the
 * feature operations and the background loops once, and hands out views of the operations
 * whose long waits belong to one wait group (the engine's own, or a server session's).
 */
package io.runledger.core.internal;
