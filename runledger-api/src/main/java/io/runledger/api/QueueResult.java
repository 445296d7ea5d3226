package io.runledger.api;

/**
 * What one pass of the queue maintainer did: scheduled runs released to the queue, queued
 * runs expired by their TTL, concurrency keys handed to a stranded waiter, and expired
 * idempotency keys deleted.
 */
public record QueueResult(int promoted, int expired, int keysRepaired, int idempotencyKeysPurged) {
    public static final QueueResult NONE = new QueueResult(0, 0, 0, 0);

    public QueueResult plus(QueueResult o) {
        return new QueueResult(promoted + o.promoted, expired + o.expired, keysRepaired + o.keysRepaired,
                idempotencyKeysPurged + o.idempotencyKeysPurged);
    }
}
