package io.runledger.server.agentprotocol;

import io.javalin.config.RoutesConfig;
import io.runledger.api.Ledger;
import io.runledger.api.Threads;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.LongPolls;
import io.runledger.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.Objects;

/**
 * The Agent Protocol layer: its routes under {@link ApPaths#PREFIX}, over the server's session
 * of the engine and its threads. Keys are accepted as {@code x-api-key} as well.
 */
public final class AgentProtocolRoutes {
    private final AssistantRoutes assistants;
    private final ThreadRoutes threadRoutes;
    private final ApRunRoutes runRoutes;
    private final ApStreamRoutes streamRoutes;

    /**
     * {@code ledger} is the server's session (its waits end when the server drains); {@code webhooks}
     * the engine's one-off completion webhooks;
     * {@code keepAlive} is how often an idle stream or a long wait writes something.
     */
    public AgentProtocolRoutes(Ledger ledger, Threads threads, RunWebhooks webhooks, Authenticator auth,
                               LongPolls polls, HeldRequests held, Duration keepAlive, ServerMetrics metrics) {
        Objects.requireNonNull(ledger, "ledger");
        Interrupts interrupts = new Interrupts(ledger.runs(), ledger.waitpoints());
        RunCreator creator = new RunCreator(ledger.runs(), threads, ledger.admin(), interrupts, webhooks);
        RunWaits waits = new RunWaits(ledger.runs(), threads, interrupts, polls, held, keepAlive);
        ApStreamer streamer = new ApStreamer(ledger.runs(), threads, interrupts, polls, keepAlive, metrics);
        this.assistants = new AssistantRoutes(ledger.admin(), auth);
        this.threadRoutes = new ThreadRoutes(threads, ledger.runs(), interrupts, auth);
        this.runRoutes = new ApRunRoutes(ledger.runs(), threads, creator, waits, auth, polls, held);
        this.streamRoutes = new ApStreamRoutes(ledger.runs(), threads, creator, streamer, held, auth);
    }

    public void register(RoutesConfig routes) {
        assistants.register(routes);
        threadRoutes.register(routes);
        runRoutes.register(routes);
        streamRoutes.register(routes);
    }
}
