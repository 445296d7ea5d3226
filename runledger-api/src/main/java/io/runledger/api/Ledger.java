package io.runledger.api;

/**
 * Every operation of RunLedger, grouped by who calls it. The embedded engine
 * ({@code RunLedger}) and the HTTP client ({@code RunLedgerClient}) both implement it, so an
 * application moves between in-process and remote by changing the line that builds it.
 */
public interface Ledger extends AutoCloseable {

    /** Trigger, read, wait on, follow, validate and cancel runs. */
    Runs runs();

    /** Lease runs and report on them as a worker. */
    Workers workers();

    /** Send signals to runs and read their outbound messages. */
    Signals signals();

    /** Register many runs in one transaction and follow them as a batch. */
    Batches batches();

    /** Webhook endpoints of a scope and their deliveries. */
    Webhooks webhooks();

    /** Token waitpoints: create, complete, read. */
    Waitpoints waitpoints();

    /** Cron schedules that trigger runs of a service. */
    Schedules schedules();
    /** Cancel or replay every run that matches a filter, in the background. */
    BulkActions bulkActions();

    /** Scopes, scope keys and services. */
    Admin admin();

    @Override
    void close();
}
