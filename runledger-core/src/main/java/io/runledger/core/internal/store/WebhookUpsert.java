package io.runledger.core.internal.store;

import java.util.List;

/** Parameters of {@link WebhookStore#webhookUpsert}. */
public record WebhookUpsert(String scope, String webhookId, String url, List<String> events, String secret,
                            boolean enabled, String kind, Integer windowSeconds) {
    public WebhookUpsert {
        events = List.copyOf(events);
    }
}
