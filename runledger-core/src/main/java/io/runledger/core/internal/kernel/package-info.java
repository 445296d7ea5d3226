/**
 * What every feature shares: {@link io.runledger.core.internal.kernel.Tx} (transactions
 * with NOTIFY inside and local wake-ups after commit), group commit of concurrent writes,
 * the limits on sizes and ranges, run ids, the payloads of server-written events, and the
 * hand-over of concurrency keys.
 */
package io.runledger.core.internal.kernel;
