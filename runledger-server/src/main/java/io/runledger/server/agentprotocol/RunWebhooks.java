package io.runledger.server.agentprotocol;

/**
 * A run's one-off completion webhook (the protocol's {@code webhook}): the engine's, through its
 * outbox. {@link #check} refuses a URL before anything is written; {@link #add} registers it.
 */
public interface RunWebhooks {
    /**
     * Refuses a URL that is no allowed webhook target.
     *
     * @param url the URL
     */
    void check(String url);

    /**
     * Sends the run's terminal event to {@code url}.
     *
     * @param scope the scope
     * @param runId the run
     * @param url the URL
     */
    void add(String scope, String runId, String url);
}
