package io.runledger.api;

import java.util.List;

/**
 * The engine's background work, one pass now (the engine's own loops run these
 * periodically), and what operators read of the queue. Only the embedded engine has it.
 */
public interface Maintenance {

    /**
     * Recovers runs whose lease expired: back to the queue, failed or cancelled.
     *
     * @return how many runs each outcome took
     */
    SweepResult sweep();

    /**
     * Releases due scheduled runs, expires queued runs past their TTL, repairs keys.
     *
     * @return what the pass did
     */
    QueueResult queue();

    /**
     * Claims due webhook deliveries into free slots and starts them without waiting; returns
     * what the attempts that ended since the previous pass did.
     *
     * @return the outcomes of the attempts that ended
     */
    DispatchResult webhooks();

    /**
     * Processes up to {@code maxPages} pages of running bulk actions now (each page at most 500
     * runs, in one transaction); returns the pages processed, 0 when no action had work.
     *
     * @param maxPages the most pages to process
     * @return the pages processed
     */
    int bulkActionPages(int maxPages);

    /**
     * Deletes terminal runs past their service's retention (with their ledger, steps,
     * messages, waitpoints and webhook deliveries) and old settled webhook deliveries, in
     * bounded transactions, until none is left or the pass has run its time.
     *
     * @return what was deleted
     */
    RetentionResult retention();

    /**
     * Folds the half-hours that are over (a grace of two minutes after their end) into the
     * overview's summaries, so its 24-hour and 7-day windows need not count every run again;
     * at most a day of half-hours per call.
     *
     * @return how many half-hours were folded
     */
    int runStats();

    /**
     * Queue depth and oldest queued age of every service (0 for an empty queue), for metrics.
     *
     * @return one entry per service
     */
    List<QueueStat> queueStats();

    /**
     * How many services are paused now, over all scopes, for metrics.
     *
     * @return the number of paused services
     */
    long servicesPaused();
}
