package io.runledger.api;

import java.util.List;

/**
 * A webhook as set with a PUT: its URL (a public address unless the engine allows more),
 * the event types it receives (1..32 types such as {@code run.succeeded} or prefixes such
 * as {@code run.*}), an optional Standard Webhooks secret ({@code whsec_...}) and whether it
 * is enabled (null means yes).
 *
 * <p>{@code kind} (null means {@link WebhookKind#EVENTS}) set to {@link WebhookKind#ALERT}
 * makes it an alert webhook: it receives {@code alert.runs_failed} at most once per service
 * per {@code windowSeconds} (1..86,400, default 300) and no run events; its {@code events}
 * may be left out or list {@code alert.runs_failed}.
 *
 * @param url where deliveries are POSTed
 * @param events the event types or prefixes it receives
 * @param secret its signing secret, or null (kept, or generated for a new webhook)
 * @param enabled whether it receives deliveries; null: yes
 * @param kind what it receives; null: run events
 * @param windowSeconds for an alert webhook, the window; null: 300
 */
public record WebhookSpec(String url, List<String> events, String secret, Boolean enabled, WebhookKind kind,
                          Integer windowSeconds) {

    /**
     * A webhook of run events.
     *
     * @param url where deliveries are POSTed
     * @param events the event types or prefixes it receives
     * @param secret its signing secret, or null
     * @param enabled whether it receives deliveries; null: yes
     */
    public WebhookSpec(String url, List<String> events, String secret, Boolean enabled) {
        this(url, events, secret, enabled, null, null);
    }

    /**
     * An enabled webhook of run events with a generated secret.
     *
     * @param url where deliveries are POSTed
     * @param events the event types or prefixes it receives
     * @return the spec
     */
    public static WebhookSpec of(String url, List<String> events) {
        return new WebhookSpec(url, events, null, null);
    }

    /**
     * An alert webhook: one {@code alert.runs_failed} per service per window of {@code windowSeconds}.
     *
     * @param url where alerts are POSTed
     * @param windowSeconds the window, 1..86,400
     * @return the spec
     */
    public static WebhookSpec alert(String url, int windowSeconds) {
        return new WebhookSpec(url, null, null, null, WebhookKind.ALERT, windowSeconds);
    }
}
