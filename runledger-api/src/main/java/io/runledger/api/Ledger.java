package io.runledger.api;

/**
 * Every operation of RunLedger, grouped by who calls it. The embedded engine
 * ({@code RunLedger}) and the HTTP client ({@code RunLedgerClient}) both implement it, so an
 * application moves between in-process and remote by changing the line that builds it.
 */
public interface Ledger extends AutoCloseable {

    /**
     * Trigger, read, wait on, follow, validate and cancel runs.
     *
     * @return the runs operations
     */
    Runs runs();

    /**
     * Lease runs and report on them as a worker.
     *
     * @return the worker operations
     */
    Workers workers();

    /**
     * Send signals to runs and read their outbound messages.
     *
     * @return the signal operations
     */
    Signals signals();

    /**
     * Register many runs in one transaction and follow them as a batch.
     *
     * @return the batch operations
     */
    Batches batches();

    /**
     * Webhook endpoints of a scope and their deliveries.
     *
     * @return the webhook operations
     */
    Webhooks webhooks();

    /**
     * Token waitpoints: create, complete, read.
     *
     * @return the waitpoint operations
     */
    Waitpoints waitpoints();

    /**
     * Cron schedules that trigger runs of a service.
     *
     * @return the schedule operations
     */
    Schedules schedules();
    /**
     * Cancel or replay every run that matches a filter, in the background.
     *
     * @return the bulk action operations
     */
    BulkActions bulkActions();

    /**
     * Scopes, scope keys and services.
     *
     * @return the admin operations
     */
    Admin admin();

    /**
     * Releases what this instance holds (the engine: its loops, pool and embedded database; the client: its
     * open streams and connections). Never throws.
     */
    @Override
    void close();
}
