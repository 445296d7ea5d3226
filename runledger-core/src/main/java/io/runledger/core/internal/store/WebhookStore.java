package io.runledger.core.internal.store;

import io.runledger.core.internal.db.SqlStatements;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of the webhook tables: {@code webhooks}, the outbox {@code webhook_deliveries} and its attempts. */
public final class WebhookStore {
    private static final SqlStatements WEBHOOKS = SqlStatements.load(WebhookStore.class, "webhooks.sql");

    private static final RowMapper<WebhookRow> WEBHOOK = (rs, ctx) -> new WebhookRow(
            rs.getString("scope_id"),
            rs.getString("webhook_id"),
            rs.getString("url"),
            RunMapper.strings(rs.getArray("events")),
            rs.getBoolean("enabled"),
            rs.getString("secret"),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "updated_at"),
            rs.getBoolean("inserted"),
            rs.getString("kind"),
            (Integer) rs.getObject("window_seconds"));

    private static final RowMapper<DeliveryRow> DELIVERY = (rs, ctx) -> new DeliveryRow(
            rs.getString("scope_id"),
            rs.getString("delivery_id"),
            rs.getString("webhook_id"),
            rs.getString("run_id"),
            rs.getLong("seq"),
            rs.getString("event_type"),
            rs.getString("status"),
            rs.getInt("attempts"),
            (Integer) rs.getObject("last_status_code"),
            rs.getString("last_error"),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "next_attempt_at"),
            RunMapper.instant(rs, "delivered_at"),
            Json.read(rs.getString("attempt_log")));

    private static final RowMapper<DeliveryClaim> CLAIM = (rs, ctx) -> new DeliveryClaim(
            rs.getString("scope_id"),
            rs.getString("delivery_id"),
            rs.getString("webhook_id"),
            rs.getString("run_id"),
            rs.getLong("seq"),
            rs.getInt("attempts"),
            rs.getInt("attempts_before"),
            rs.getString("url"),
            rs.getString("secret"),
            rs.getString("payload"));

    // ---- webhooks

    public WebhookRow webhookUpsert(Handle h, WebhookUpsert p) {
        return h.createQuery(WEBHOOKS.get("webhookUpsert"))
                .bind("scope", p.scope()).bind("webhookId", p.webhookId()).bind("url", p.url())
                .bind("events", p.events().toArray(String[]::new)).bind("secret", p.secret())
                .bind("enabled", p.enabled()).bind("kind", p.kind()).bind("windowSeconds", p.windowSeconds())
                .map(WEBHOOK).one();
    }

    public Optional<WebhookRow> webhookGet(Handle h, String scope, String webhookId) {
        return h.createQuery(WEBHOOKS.get("webhookGet")).bind("scope", scope).bind("webhookId", webhookId)
                .map(WEBHOOK).findOne();
    }

    /** Holds the webhook until the transaction ends (see the statement); false if there is none. */
    public boolean webhookHold(Handle h, String scope, String webhookId) {
        return h.createQuery(WEBHOOKS.get("webhookHold")).bind("scope", scope).bind("webhookId", webhookId)
                .mapTo(String.class).findOne().isPresent();
    }

    public List<WebhookRow> webhooksList(Handle h, String scope) {
        return h.createQuery(WEBHOOKS.get("webhooksList")).bind("scope", scope).map(WEBHOOK).list();
    }

    /** Locks the webhook, then deletes it with its pending deliveries (see {@code webhookHold}). */
    public boolean webhookDelete(Handle h, String scope, String webhookId) {
        if (h.createQuery(WEBHOOKS.get("webhookDeleteLock")).bind("scope", scope).bind("webhookId", webhookId)
                .mapTo(String.class).findOne().isEmpty()) {
            return false;
        }
        return h.createQuery(WEBHOOKS.get("webhookDelete")).bind("scope", scope).bind("webhookId", webhookId)
                .mapTo(Long.class).one() > 0;
    }

    // ---- alerts

    public void alertFailuresForget(Handle h, String scope, String webhookId) {
        h.createUpdate(WEBHOOKS.get("alertFailuresForget")).bind("scope", scope).bind("webhookId", webhookId).execute();
    }

    /** Up to {@code batch} alert windows that closed at least {@code graceSeconds} ago. */
    public List<AlertWindow> alertWindowsDue(Handle h, int graceSeconds, int batch) {
        return h.createQuery(WEBHOOKS.get("alertWindowsDue")).bind("graceSeconds", graceSeconds).bind("batch", batch)
                .map((rs, ctx) -> new AlertWindow(rs.getString("scope_id"), rs.getString("webhook_id"),
                        rs.getString("service"), RunMapper.instant(rs, "window_start"), rs.getInt("window_seconds")))
                .list();
    }

    /**
     * Turns a closed window's failures into its one delivery and deletes them; false if
     * another instance did it first (its rows were gone, or the delivery already existed).
     */
    public boolean alertWindowClose(Handle h, AlertWindow w) {
        return h.createQuery(WEBHOOKS.get("alertWindowClose"))
                .bind("scope", w.scope()).bind("webhookId", w.webhookId()).bind("service", w.service())
                .bind("windowStart", RunMapper.offset(w.windowStart())).bind("windowSeconds", w.windowSeconds())
                .mapTo(Long.class).one() > 0;
    }

    // ---- deliveries

    /** Newest first; {@code status} null means every status. */
    public List<DeliveryRow> deliveriesList(Handle h, String scope, String webhookId, String status, int limit) {
        return h.createQuery(WEBHOOKS.get("deliveriesList"))
                .bind("scope", scope).bind("webhookId", webhookId).bind("status", status).bind("limit", limit)
                .map(DELIVERY).list();
    }

    /** One delivery of the webhook, with its attempts; empty if the webhook has no such delivery. */
    public Optional<DeliveryRow> deliveryGet(Handle h, String scope, String webhookId, String deliveryId) {
        return h.createQuery(WEBHOOKS.get("deliveryGet"))
                .bind("scope", scope).bind("webhookId", webhookId).bind("deliveryId", deliveryId)
                .map(DELIVERY).findOne();
    }

    /**
     * Makes a dead or delivered delivery of the webhook pending again, due now, with a fresh
     * series of attempts; false if it matched none (no such delivery, or it is pending).
     */
    public boolean deliveryRedeliver(Handle h, String scope, String webhookId, String deliveryId) {
        return h.createQuery(WEBHOOKS.get("deliveryRedeliver"))
                .bind("scope", scope).bind("webhookId", webhookId).bind("deliveryId", deliveryId)
                .mapTo(String.class).findOne().isPresent();
    }

    /** The stats of the scope's webhooks (of one, if {@code webhookId} is not null), by webhook id. */
    public Map<String, WebhookStatsRow> webhooksStats(Handle h, String scope, String webhookId, int windowHours) {
        Map<String, WebhookStatsRow> stats = new HashMap<>();
        h.createQuery(WEBHOOKS.get("webhooksStats"))
                .bind("scope", scope).bind("webhookId", webhookId).bind("windowHours", windowHours)
                .map((rs, ctx) -> new WebhookStatsRow(rs.getString("webhook_id"), rs.getLong("delivered"),
                        rs.getLong("dead"), rs.getLong("pending"), rs.getLong("attempts"), rs.getLong("failed"),
                        RunMapper.instant(rs, "last_failure_at"), (Integer) rs.getObject("last_failure_status_code"),
                        rs.getString("last_failure_error")))
                .forEach(row -> stats.put(row.webhookId(), row));
        return stats;
    }

    /** Claims up to {@code batch} due deliveries, skipping the webhooks in {@code busy} ('scope/webhook'). */
    public List<DeliveryClaim> deliveriesClaim(Handle h, int batch, long claimSeconds, List<String> busy) {
        return h.createQuery(WEBHOOKS.get("deliveriesClaim")).bind("batch", batch).bind("claimSeconds", claimSeconds)
                .bind("busy", busy.toArray(String[]::new))
                .map(CLAIM).list();
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

    public void deliveryAttemptInsert(Handle h, DeliveryAttempt p) {
        h.createUpdate(WEBHOOKS.get("deliveryAttemptInsert"))
                .bind("scope", p.scope()).bind("deliveryId", p.deliveryId()).bind("webhookId", p.webhookId())
                .bind("attempt", p.attempt())
                .bind("statusCode", p.statusCode()).bind("error", p.error()).bind("durationMs", p.durationMs())
                .execute();
    }

    public void deliveryDelivered(Handle h, String scope, String deliveryId, int statusCode) {
        h.createUpdate(WEBHOOKS.get("deliveryDelivered"))
                .bind("scope", scope).bind("deliveryId", deliveryId).bind("statusCode", statusCode).execute();
    }

    /** The delivery's status after the failed attempt (pending or dead); empty if it was no longer pending. */
    public Optional<String> deliveryRetry(Handle h, DeliveryRetry p) {
        return h.createQuery(WEBHOOKS.get("deliveryRetry"))
                .bind("scope", p.scope()).bind("deliveryId", p.deliveryId()).bind("maxAttempts", p.maxAttempts())
                .bind("backoffSeconds", p.backoffSeconds()).bind("statusCode", p.statusCode())
                .bind("error", p.error())
                .mapTo(String.class).findOne();
    }

    /**
     * Registers a run's completion webhook, and delivers its terminal event at once if it
     * settled already. False when the run does not exist; registering again changes nothing.
     */
    public boolean runWebhookInsert(Handle h, String scope, String runId, String url, String secret) {
        if (h.createQuery(WEBHOOKS.get("runWebhookRunLock")).bind("scope", scope).bind("runId", runId)
                .mapTo(String.class).findOne().isEmpty()) {
            return false;
        }
        h.createQuery(WEBHOOKS.get("runWebhookInsert")).bind("scope", scope).bind("runId", runId)
                .bind("url", url).bind("secret", secret).mapTo(String.class).findOne();
        h.createUpdate(WEBHOOKS.get("runWebhookCatchUp")).bind("scope", scope).bind("runId", runId).execute();
        return true;
    }
}
