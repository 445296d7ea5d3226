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
 */
public record WebhookSpec(String url, List<String> events, String secret, Boolean enabled, WebhookKind kind,
                          Integer windowSeconds) {

    public WebhookSpec(String url, List<String> events, String secret, Boolean enabled) {
        this(url, events, secret, enabled, null, null);
    }

    public static WebhookSpec of(String url, List<String> events) {
        return new WebhookSpec(url, events, null, null);
    }

    /** An alert webhook: one {@code alert.runs_failed} per service per window of {@code windowSeconds}. */
    public static WebhookSpec alert(String url, int windowSeconds) {
        return new WebhookSpec(url, null, null, null, WebhookKind.ALERT, windowSeconds);
    }
}
