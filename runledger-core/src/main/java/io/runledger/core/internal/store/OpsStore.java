package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.internal.db.SqlStatements;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Statements of the operations tables: webhooks and their outbox, run messages, batches. */
public final class OpsStore {
    private static final SqlStatements WEBHOOKS = SqlStatements.load(OpsStore.class, "webhooks.sql");
    private static final SqlStatements MESSAGES = SqlStatements.load(OpsStore.class, "run_messages.sql");
    private static final SqlStatements BATCHES = SqlStatements.load(OpsStore.class, "batches.sql");

    // ---- webhooks

    public Map<String, Object> webhookUpsert(Handle h, String scope, String webhookId, String url, List<String> events,
                                             String secret, boolean enabled) {
        return h.createQuery(WEBHOOKS.get("webhookUpsert"))
                .bind("scope", scope).bind("webhookId", webhookId).bind("url", url)
                .bind("events", events.toArray(String[]::new)).bind("secret", secret).bind("enabled", enabled)
                .mapToMap().one();
    }

    public Optional<Map<String, Object>> webhookGet(Handle h, String scope, String webhookId) {
        return h.createQuery(WEBHOOKS.get("webhookGet")).bind("scope", scope).bind("webhookId", webhookId)
                .mapToMap().findOne();
    }

    public List<Map<String, Object>> webhooksList(Handle h, String scope) {
        return h.createQuery(WEBHOOKS.get("webhooksList")).bind("scope", scope).mapToMap().list();
    }

    public boolean webhookDelete(Handle h, String scope, String webhookId) {
        return h.createQuery(WEBHOOKS.get("webhookDelete")).bind("scope", scope).bind("webhookId", webhookId)
                .mapTo(Long.class).one() > 0;
    }

    public List<Map<String, Object>> deliveriesList(Handle h, String scope, String webhookId, String status, int limit) {
        return h.createQuery(WEBHOOKS.get("deliveriesList"))
                .bind("scope", scope).bind("webhookId", webhookId).bind("status", status).bind("limit", limit)
                .mapToMap().list();
    }

    /** Claims up to {@code batch} due deliveries, skipping the webhooks in {@code busy} ('scope/webhook'). */
    public List<DeliveryClaim> deliveriesClaim(Handle h, int batch, long claimSeconds, List<String> busy) {
        return h.createQuery(WEBHOOKS.get("deliveriesClaim")).bind("batch", batch).bind("claimSeconds", claimSeconds)
                .bind("busy", busy.toArray(String[]::new))
                .map((rs, ctx) -> new DeliveryClaim(rs.getString("scope_id"), rs.getString("delivery_id"),
                        rs.getString("webhook_id"), rs.getString("run_id"), rs.getLong("seq"), rs.getInt("attempts"),
                        rs.getString("url"), rs.getString("secret")))
                .list();
    }

    /** Gives back claims that were not sent; the attempt they counted is taken back. */
    public void deliveriesRelease(Handle h, List<DeliveryClaim> claims) {
        if (claims.isEmpty()) {
            return;
        }
        h.createUpdate(WEBHOOKS.get("deliveriesRelease"))
                .bind("scopes", claims.stream().map(DeliveryClaim::scope).toArray(String[]::new))
                .bind("ids", claims.stream().map(DeliveryClaim::deliveryId).toArray(String[]::new))
                .bind("attempts", claims.stream().mapToInt(DeliveryClaim::attempt).boxed().toArray(Integer[]::new))
                .execute();
    }

    public void deliveryAttemptInsert(Handle h, String scope, String deliveryId, int attempt, Integer statusCode,
                                      String error, int durationMs) {
        h.createUpdate(WEBHOOKS.get("deliveryAttemptInsert"))
                .bind("scope", scope).bind("deliveryId", deliveryId).bind("attempt", attempt)
                .bind("statusCode", statusCode).bind("error", error).bind("durationMs", durationMs)
                .execute();
    }

    public void deliveryDelivered(Handle h, String scope, String deliveryId, int statusCode) {
        h.createUpdate(WEBHOOKS.get("deliveryDelivered"))
                .bind("scope", scope).bind("deliveryId", deliveryId).bind("statusCode", statusCode).execute();
    }

    public Optional<String> deliveryRetry(Handle h, String scope, String deliveryId, int maxAttempts,
                                          double backoffSeconds, Integer statusCode, String error) {
        return h.createQuery(WEBHOOKS.get("deliveryRetry"))
                .bind("scope", scope).bind("deliveryId", deliveryId).bind("maxAttempts", maxAttempts)
                .bind("backoffSeconds", backoffSeconds).bind("statusCode", statusCode).bind("error", error)
                .mapTo(String.class).findOne();
    }

    // ---- run messages

    public void messageInsert(Handle h, String scope, String messageId, String runId, long seq, String type,
                              String severity, JsonNode data) {
        h.createUpdate(MESSAGES.get("messageInsert"))
                .bind("scope", scope).bind("messageId", messageId).bind("runId", runId).bind("seq", seq)
                .bind("type", type).bind("severity", severity).bind("data", Json.write(data))
                .execute();
    }

    public List<Map<String, Object>> messagesDeliver(Handle h, String scope, String runId) {
        return h.createQuery(MESSAGES.get("messagesDeliver")).bind("scope", scope).bind("runId", runId)
                .mapToMap().list();
    }

    public Optional<Map<String, Object>> messageAck(Handle h, String scope, String runId, String messageId,
                                                    String leaseToken) {
        return h.createQuery(MESSAGES.get("messageAck"))
                .bind("scope", scope).bind("runId", runId).bind("messageId", messageId)
                .bind("leaseToken", leaseToken).mapToMap().findOne();
    }

    public Optional<Map<String, Object>> messageGet(Handle h, String scope, String runId, String messageId) {
        return h.createQuery(MESSAGES.get("messageGet"))
                .bind("scope", scope).bind("runId", runId).bind("messageId", messageId).mapToMap().findOne();
    }

    public List<Map<String, Object>> messagesList(Handle h, String scope, String runId) {
        return h.createQuery(MESSAGES.get("messagesList")).bind("scope", scope).bind("runId", runId)
                .mapToMap().list();
    }

    // ---- batches

    public Map<String, Object> batchInsert(Handle h, String scope, String batchId, String service, int size) {
        return h.createQuery(BATCHES.get("batchInsert"))
                .bind("scope", scope).bind("batchId", batchId).bind("service", service).bind("size", size)
                .mapToMap().one();
    }

    public Optional<Map<String, Object>> batchGet(Handle h, String scope, String batchId) {
        return h.createQuery(BATCHES.get("batchGet")).bind("scope", scope).bind("batchId", batchId)
                .mapToMap().findOne();
    }

    public List<String> batchRunIds(Handle h, String scope, String batchId) {
        return h.createQuery(BATCHES.get("batchRunIds")).bind("scope", scope).bind("batchId", batchId)
                .mapTo(String.class).list();
    }
}
