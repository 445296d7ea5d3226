/**
 * Run data on a dedicated PostgreSQL: two engines, one on the main database (the control
 * plane, and every run created before the runs database was configured) and one on the runs
 * database (every run created since), behind one {@link io.runledger.api.Ledger} that routes
 * each call by the shape of the id it names, merges lists from both, and mirrors the control
 * plane into the runs database so that each database's own statements find what they join.
 */
package io.runledger.core.internal.split;
