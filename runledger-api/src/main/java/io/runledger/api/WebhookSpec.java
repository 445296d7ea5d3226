package io.runledger.api;

import java.util.List;

/**
 * A webhook as set with a PUT: its URL (a public address unless the engine allows more),
 * the event types it receives (1..20 types such as {@code run.succeeded} or prefixes such
 * as {@code run.*}), an optional Standard Webhooks secret ({@code whsec_...}) and whether it
 * is enabled (null means yes).
 */
public record WebhookSpec(String url, List<String> events, String secret, Boolean enabled) {

    public static WebhookSpec of(String url, List<String> events) {
        return new WebhookSpec(url, events, null, null);
    }
}
