/**
 * The background loops: the sweeper that recovers expired leases and the queue
 * maintainer (scheduled runs coming due, TTL expiry, stranded keys, old idempotency keys),
 * each a small class run by {@link io.runledger.core.internal.maintenance.MaintenanceLoop}.
 */
package io.runledger.core.internal.maintenance;
