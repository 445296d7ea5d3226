package io.runledger.api;

/**
 * What one pass of the queue maintainer did: scheduled runs released to the queue, queued
 * runs expired by their TTL, concurrency keys handed to a stranded waiter, expired
 * idempotency keys deleted, and waiting runs that moved on (resumed, or failed by a timeout).
 *
 * @param promoted scheduled runs whose time came, now queued
 * @param expired queued runs past their TTL, now expired
 * @param keysRepaired concurrency keys handed to a waiter that had been left waiting
 * @param idempotencyKeysPurged idempotency keys past their TTL, deleted
 * @param resumed waiting runs that moved on: queued again, or failed by a timeout
 */
public record QueueResult(int promoted, int expired, int keysRepaired, int idempotencyKeysPurged, int resumed) {
    /** Nothing done. */
    public static final QueueResult NONE = new QueueResult(0, 0, 0, 0, 0);

    /**
     * A pass that moved no waiting run.
     *
     * @param promoted scheduled runs whose time came, now queued
     * @param expired queued runs past their TTL, now expired
     * @param keysRepaired concurrency keys handed to a waiter that had been left waiting
     * @param idempotencyKeysPurged idempotency keys past their TTL, deleted
     */
    public QueueResult(int promoted, int expired, int keysRepaired, int idempotencyKeysPurged) {
        this(promoted, expired, keysRepaired, idempotencyKeysPurged, 0);
    }

    /**
     * The sum of this result and another.
     *
     * @param o the other result
     * @return the sum
     */
    public QueueResult plus(QueueResult o) {
        return new QueueResult(promoted + o.promoted, expired + o.expired, keysRepaired + o.keysRepaired,
                idempotencyKeysPurged + o.idempotencyKeysPurged, resumed + o.resumed);
    }
}
