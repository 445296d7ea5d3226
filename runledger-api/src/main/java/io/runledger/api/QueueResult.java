package io.runledger.api;

/**
 * What one pass of the queue maintainer did: scheduled runs released to the queue, queued
 * runs expired by their TTL, concurrency keys handed to a stranded waiter, expired
 * idempotency keys deleted, and waiting runs that moved on (resumed, or failed by a timeout).
 */
public record QueueResult(int promoted, int expired, int keysRepaired, int idempotencyKeysPurged, int resumed) {
    public static final QueueResult NONE = new QueueResult(0, 0, 0, 0, 0);

    public QueueResult(int promoted, int expired, int keysRepaired, int idempotencyKeysPurged) {
        this(promoted, expired, keysRepaired, idempotencyKeysPurged, 0);
    }

    public QueueResult plus(QueueResult o) {
        return new QueueResult(promoted + o.promoted, expired + o.expired, keysRepaired + o.keysRepaired,
                idempotencyKeysPurged + o.idempotencyKeysPurged, resumed + o.resumed);
    }
}
