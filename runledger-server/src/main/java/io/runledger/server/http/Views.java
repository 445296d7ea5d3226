package io.runledger.server.http;

import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.BulkAction;
import io.runledger.api.BulkFilter;
import io.runledger.api.Heartbeat;
import io.runledger.api.Lease;
import io.runledger.api.NewScopeKey;
import io.runledger.api.Overview;
import io.runledger.api.QueueStat;
import io.runledger.api.Receipt;
import io.runledger.api.RetryPolicy;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.Schedule;
import io.runledger.api.ScopeKey;
import io.runledger.api.ServiceInfo;
import io.runledger.api.StepRecord;
import io.runledger.api.WaitResult;
import io.runledger.api.Waitpoint;
import io.runledger.api.WebhookDelivery;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookStats;
import io.runledger.api.WorkerInfo;
import io.runledger.server.wire.BatchItemReceiptView;
import io.runledger.server.wire.BatchReceiptView;
import io.runledger.server.wire.BatchView;
import io.runledger.server.wire.BulkActionView;
import io.runledger.server.wire.BulkFilterView;
import io.runledger.server.wire.CallbackAnswerView;
import io.runledger.server.wire.EventView;
import io.runledger.server.wire.HeartbeatView;
import io.runledger.server.wire.LeaseView;
import io.runledger.server.wire.NewScopeKeyView;
import io.runledger.server.wire.OverviewView;
import io.runledger.server.wire.QueueView;
import io.runledger.server.wire.ReceiptLinksView;
import io.runledger.server.wire.ReceiptView;
import io.runledger.server.wire.RetryView;
import io.runledger.server.wire.RunErrorView;
import io.runledger.server.wire.RunMessageView;
import io.runledger.server.wire.RunView;
import io.runledger.server.wire.ScheduleView;
import io.runledger.server.wire.ScopeKeyView;
import io.runledger.server.wire.ServiceView;
import io.runledger.server.wire.StepRecordView;
import io.runledger.server.wire.WaitResultView;
import io.runledger.server.wire.WaitpointView;
import io.runledger.server.wire.WebhookDeliveryView;
import io.runledger.server.wire.WebhookStatsView;
import io.runledger.server.wire.WebhookView;
import io.runledger.server.wire.WorkerView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's resources as it writes them: each engine record mapped to its wire record (in
 * {@code io.runledger.server.wire}), field by field, so that renaming an engine record's
 * component cannot silently change the contract. The OpenAPI schemas are generated from the
 * same wire records.
 */
public final class Views {
    private Views() {
    }

    public static ReceiptView receipt(Receipt r) {
        String self = Paths.run(r.scope(), r.runId());
        return new ReceiptView(r.runId(), r.scope(), r.service(), r.status(), r.commandId(), r.correlationId(),
                r.createdAt(), new ReceiptLinksView(self, self + "/events", self + "/stream"));
    }

    public static RunView run(Run r) {
        return new RunView(r.runId(), r.scope(), r.service(), r.status(), r.attempt(), r.maxAttempts(), r.input(),
                r.output(), error(r.error()), r.commandId(), r.correlationId(), r.concurrencyKey(), r.parentRunId(),
                r.tags(), r.metadata(), r.workerId(), r.createdAt(), r.runAt(), r.startedAt(), r.finishedAt(),
                r.stopRequestedAt(), r.leaseExpiresAt(), r.updatedAt(), r.lastSeq(), r.rootRunId(), r.replayOf(),
                r.priority(), r.lastEventAt());
    }

    public static RunErrorView error(RunError e) {
        return e == null ? null : new RunErrorView(e.code(), e.message(), e.detail());
    }

    public static EventView event(RunEvent e) {
        return new EventView(e.runId(), e.seq(), e.type(), e.schemaVersion(), e.data(), e.createdAt());
    }

    public static ServiceView service(ServiceInfo s) {
        return new ServiceView(s.scope(), s.service(), s.maxAttempts(), s.leaseTtlSeconds(), s.inputSchema(),
                s.concurrencyLimit(), s.description(), retry(s.retry()), s.createdAt(), s.updatedAt(), s.paused(),
                s.retentionDays());
    }

    /** A service's policy, which the engine always completes from the defaults. */
    public static RetryView retry(RetryPolicy p) {
        RetryPolicy complete = p == null ? RetryPolicy.DEFAULT : p.over(RetryPolicy.DEFAULT);
        return new RetryView(complete.initialDelaySeconds(), complete.maxDelaySeconds(), complete.factor(),
                complete.jitter());
    }

    public static LeaseView lease(Lease l) {
        Map<String, List<WaitResultView>> resumed = new LinkedHashMap<>();
        l.resumed().forEach((step, results) -> resumed.put(step, results.stream().map(Views::waitResult).toList()));
        return new LeaseView(l.runId(), l.service(), l.input(), l.attempt(), l.leaseToken(), l.leaseExpiresAt(),
                l.steps(), resumed, l.stepsComplete());
    }

    public static WaitpointView waitpoint(Waitpoint w) {
        return new WaitpointView(w.waitpointId(), w.scope(), w.kind(), w.status(), w.data(), w.runId(),
                w.targetRunId(), w.targetBatchId(), w.resumeAt(), w.expiresAt(), w.idempotencyKey(), w.tags(),
                w.createdAt(), w.completedAt());
    }

    /**
     * What a key-less callback is answered: whether its completion holds, and nothing of the
     * scope behind it (its name, the waiting run, tags, keys), which the URL's holder, often a
     * third party, has no business reading.
     */
    public static CallbackAnswerView callbackAnswer(Waitpoint w) {
        return new CallbackAnswerView(w.waitpointId(), w.kind(), w.status(), w.data(), w.completedAt());
    }

    /** One waitpoint's result, as a suspend answer and a lease's {@code resumed} carry it. */
    public static WaitResultView waitResult(WaitResult r) {
        return new WaitResultView(r.waitpointId(), r.kind(), r.status(), r.data());
    }

    public static StepRecordView step(StepRecord s) {
        return new StepRecordView(s.step(), s.output(), s.attempt(), s.seq(), s.createdAt(), s.replayed());
    }

    public static WorkerView worker(WorkerInfo w) {
        return new WorkerView(w.workerId(), w.services(), w.version(), w.capabilities(), w.lastSeenAt(), w.runsHeld());
    }

    public static OverviewView overview(Overview o) {
        return new OverviewView(o.scope(), o.window(), o.from(), o.to(), o.window().bucket().toSeconds(),
                o.services().stream().map(s -> new OverviewView.Service(s.service(), s.triggered(), s.succeeded(),
                        s.failed(), s.cancelled(), s.expired(), s.failureRate(), s.durationP50Ms(), s.durationP95Ms(),
                        s.queued(), s.oldestQueuedAgeSeconds(), s.running(), s.waiting(),
                        s.buckets().stream().map(b -> new OverviewView.Bucket(b.start(), b.triggered(), b.succeeded(),
                                b.failed(), b.cancelled(), b.expired())).toList())).toList());
    }

    public static QueueView queue(QueueStat q) {
        return new QueueView(q.service(), q.depth(), q.oldestAgeSeconds());
    }

    /** A webhook; its secret is set when it was created or replaced only. */
    public static WebhookView webhook(WebhookInfo w) {
        WebhookStats s = w.stats();
        return new WebhookView(w.webhookId(), w.scope(), w.url(), w.events(), w.enabled(), w.kind(),
                w.windowSeconds(), w.secret(), w.createdAt(), w.updatedAt(), s == null ? null
                : new WebhookStatsView(s.windowHours(), s.delivered(), s.dead(), s.pending(), s.attempts(),
                        s.failedAttempts(), s.successRate(), s.lastFailureAt(), s.lastFailureStatusCode(),
                        s.lastFailureError()));
    }

    public static WebhookDeliveryView delivery(WebhookDelivery d) {
        // an alert reports a window, not one event: no run, no seq
        return new WebhookDeliveryView(d.deliveryId(), d.webhookId(), d.runId(), d.runId() == null ? null : d.seq(),
                d.eventType(), d.status(), d.attempts(), d.lastStatusCode(), d.lastError(), d.createdAt(),
                "pending".equals(d.status()) ? d.nextAttemptAt() : null, d.deliveredAt(), d.attemptLog());
    }

    /** A signal's outbound message, as heartbeats and {@code GET .../messages} show it. */
    public static RunMessageView message(RunMessage m) {
        return new RunMessageView(m.messageId(), m.runId(), m.seq(), m.type(), m.severity(), m.data(), m.status(),
                m.createdAt(), m.deliveredAt(), m.ackedAt());
    }

    public static HeartbeatView heartbeat(Heartbeat hb) {
        return new HeartbeatView(hb.leaseExpiresAt(), hb.stopRequested(),
                hb.messages().stream().map(Views::message).toList());
    }

    /** A key as the admin sees it: never the key, never its hash. */
    public static ScopeKeyView scopeKey(ScopeKey k) {
        return new ScopeKeyView(k.scope(), k.keyId(), k.name(), k.createdAt(), k.lastUsedAt());
    }

    /** A key just created: the key itself is shown this once; only its hash is kept. */
    public static NewScopeKeyView newScopeKey(NewScopeKey created) {
        ScopeKey k = created.info();
        return new NewScopeKeyView(k.scope(), k.keyId(), k.name(), k.createdAt(), k.lastUsedAt(), created.key());
    }

    public static ScheduleView schedule(Schedule s) {
        return new ScheduleView(s.scheduleId(), s.scope(), s.service(), s.cron(), s.timezone(), s.input(),
                s.enabled(), s.overlap(), s.catchUp(), s.nextFireAt(), s.lastRunId(), s.lastFireAt(), s.createdAt(),
                s.updatedAt());
    }

    public static BulkActionView bulkAction(BulkAction a) {
        BulkFilter f = a.filter();
        BulkFilterView filter = new BulkFilterView(f.service(), f.status(), f.concurrencyKey(), f.tag(),
                f.parentRunId(), f.createdAfter(), f.createdBefore(), f.health(), f.stuckAfterSeconds(),
                f.silentForSeconds());
        return new BulkActionView(a.bulkActionId(), a.scope(), a.action(), filter, a.reason(), a.status(),
                a.matched(), a.processed(), a.skipped(), a.failed(), a.createdAt(), a.updatedAt(), a.finishedAt());
    }

    public static BatchReceiptView batchReceipt(BatchReceipt receipt) {
        return new BatchReceiptView(receipt.batchId(), receipt.receipts().stream().map(Receipt::runId).toList(),
                receipt.receipts().stream().map(r -> new BatchItemReceiptView(receipt(r), r.replayed())).toList());
    }

    public static BatchView batch(BatchInfo info) {
        long settled = info.counts().entrySet().stream()
                .filter(e -> RunStatus.fromWire(e.getKey()).isTerminal())
                .mapToLong(Map.Entry::getValue).sum();
        return new BatchView(info.batchId(), info.scope(), info.service(), info.size(), info.createdAt(),
                info.counts(), settled, settled == info.runIds().size(), info.runIds());
    }
}
