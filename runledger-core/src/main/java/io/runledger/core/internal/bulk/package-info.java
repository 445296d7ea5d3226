/**
 * Bulk actions: cancel or replay every run of a scope that matched a filter when the action
 * was created, processed in pages of at most 500 runs per transaction by any instance.
 */
package io.runledger.core.internal.bulk;
