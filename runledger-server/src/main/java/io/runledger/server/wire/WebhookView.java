package io.runledger.server.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runledger.api.WebhookKind;
import java.time.Instant;
import java.util.List;

/** A webhook endpoint of a scope; its secret is shown when it is created or replaced only. */
public record WebhookView(
        String webhookId,
        String scope,
        String url,
        List<String> events,
        boolean enabled,
        WebhookKind kind,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer windowSeconds,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
        Instant createdAt,
        Instant updatedAt,
        WebhookStatsView stats) {
}
