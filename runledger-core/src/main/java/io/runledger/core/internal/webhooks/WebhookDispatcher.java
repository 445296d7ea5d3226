package io.runledger.core.internal.webhooks;

import io.runledger.api.DispatchResult;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.DeliveryAttempt;
import io.runledger.core.internal.store.DeliveryClaim;
import io.runledger.core.internal.store.DeliveryRetry;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.WebhookStore;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the webhook outbox (run events, and the alerts of the windows it closes first):
 * claims due deliveries (SKIP LOCKED, safe on several instances), POSTs each signed as
 * Standard Webhooks says, and records the attempt: delivered on a 2xx, else retried with
 * exponential backoff and jitter until the attempts run out, then dead. A redelivered
 * delivery starts a fresh series: its backoff and its attempts left count from the redelivery.
 *
 * <p>Each pass claims only as many deliveries as there are free slots and hands each to its
 * own virtual thread; it never waits for them, so the next pass (or a slot freed meanwhile)
 * sends more at once. A target (host:port) holds at most {@code perTarget} slots: a slow
 * target's deliveries wait their turn in the outbox (the claim skips its webhooks, and a
 * claim that still lands on it is given back) instead of delaying anyone else's. Every
 * attempt has a total deadline, response body included, after which it is abandoned and
 * recorded as failed; the claim lease outlives the deadline, so no other instance sends the
 * same delivery meanwhile.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** Settings of the dispatcher. */
    public record Config(int batchSize, int maxAttempts, Duration retryBase, Duration retryMax,
                         Duration attemptTimeout, int perTarget, int maxInFlight) {
        public Config {
            Objects.requireNonNull(retryBase, "retryBase");
            Objects.requireNonNull(retryMax, "retryMax");
            Objects.requireNonNull(attemptTimeout, "attemptTimeout");
            if (batchSize < 1 || maxAttempts < 1 || retryBase.isNegative() || retryMax.compareTo(retryBase) < 0
                    || attemptTimeout.toMillis() < 1 || perTarget < 1 || maxInFlight < perTarget) {
                throw new IllegalArgumentException("invalid webhook dispatcher config");
            }
        }

        /** How long a claim hides a delivery from other dispatchers: well past the attempt's deadline. */
        long claimSeconds() {
            return (attemptTimeout.toMillis() + 999) / 1000 + 30;
        }
    }

    private final Tx tx;
    private final WebhookStore store;
    private final Config config;
    private final WebhookPayload payloads;
    private final AlertWindows alerts;
    private final WebhookSender sender;
    private final TargetSlots slots;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("runledger-webhook-", 0).factory());
    private final AtomicReference<DispatchResult> finished = new AtomicReference<>(DispatchResult.NONE);
    private final Lock claiming = new ReentrantLock();
    private volatile boolean closed;

    public WebhookDispatcher(Tx tx, RunStore runs, EventStore ledger, WebhookStore store, AddressPolicy policy,
                             Config config) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.payloads = new WebhookPayload(tx, runs, ledger);
        this.alerts = new AlertWindows(tx, store);
        this.slots = new TargetSlots(config.perTarget(), config.maxInFlight());
        this.sender = new WebhookSender(Objects.requireNonNull(policy, "policy"), config.attemptTimeout(),
                config.perTarget());
    }

    /**
     * Claims due deliveries into the free slots and starts sending them; returns what the
     * attempts that ended since the previous pass did.
     */
    public DispatchResult runOnce() {
        claiming.lock();
        try {
            if (!closed) {
                alerts.closeDue();
            }
            while (!closed) {
                int room = Math.min(config.batchSize(), slots.free());
                if (room == 0) {
                    break;
                }
                List<String> busy = slots.busyWebhooks();
                List<DeliveryClaim> claimed = tx.run((h, c) -> store.deliveriesClaim(h, room, config.claimSeconds(), busy));
                List<DeliveryClaim> giveBack = new ArrayList<>();
                for (DeliveryClaim d : claimed) {
                    start(d, giveBack);
                }
                release(giveBack);
                if (claimed.size() < room || giveBack.size() == claimed.size()) {
                    break;
                }
            }
        } finally {
            claiming.unlock();
        }
        DispatchResult ended = finished.getAndSet(DispatchResult.NONE);
        if (ended.total() > 0) {
            tx.listener().webhookDeliveries(ended);
        }
        return ended;
    }

    private void start(DeliveryClaim d, List<DeliveryClaim> giveBack) {
        if (d.url() == null) {
            tally("dead"); // the webhook was deleted; its pending deliveries went with it
            return;
        }
        URI url;
        try {
            url = URI.create(d.url());
        } catch (IllegalArgumentException e) {
            tally(record(d, new WebhookSender.Outcome(null, "malformed url"), 0));
            return;
        }
        String target = TargetSlots.targetOf(url);
        if (!slots.tryAcquire(target, d.webhookKey())) {
            giveBack.add(d);
            return;
        }
        workers.execute(() -> {
            try {
                attempt(d, url);
            } catch (RuntimeException e) {
                // The claim lease runs out and the delivery is tried again; nothing is lost.
                log.warn("webhook delivery {} could not be recorded: {}", d.deliveryId(), e.toString());
            } finally {
                slots.release(target);
            }
        });
    }

    private void attempt(DeliveryClaim d, URI url) {
        long started = System.nanoTime();
        WebhookSender.Outcome outcome;
        try {
            String body;
            try {
                body = d.payload() != null ? d.payload() : payloads.build(d.scope(), d.runId(), d.seq());
            } catch (RuntimeException e) {
                tally(record(d, new WebhookSender.Outcome(null, "cannot build the payload: " + e.getMessage()), 0));
                return;
            }
            long timestamp = System.currentTimeMillis() / 1000;
            outcome = sender.post(url, Map.of(
                    "webhook-id", d.deliveryId(),
                    "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", WebhookSigner.sign(d.secret(), d.deliveryId(), timestamp, body)), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = null;
        }
        if (outcome == null || (closed && outcome.error() != null)) {
            // Abandoned by close(), not failed by the target: give the attempt back.
            release(List.of(d));
            return;
        }
        tally(record(d, outcome, (int) ((System.nanoTime() - started) / 1_000_000)));
    }

    private void release(List<DeliveryClaim> claims) {
        if (!claims.isEmpty()) {
            tx.run((h, c) -> {
                store.deliveriesRelease(h, claims);
                return null;
            });
        }
    }

    private String record(DeliveryClaim d, WebhookSender.Outcome outcome, int durationMs) {
        String error = outcome.error();
        String failure = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        return tx.run((h, c) -> {
            store.deliveryAttemptInsert(h, new DeliveryAttempt(d.scope(), d.deliveryId(), d.webhookId(),
                    d.attempt(), outcome.statusCode(), failure, durationMs));
            if (failure == null) {
                store.deliveryDelivered(h, d.scope(), d.deliveryId(), outcome.statusCode());
                return "delivered";
            }
            return store.deliveryRetry(h, new DeliveryRetry(d.scope(), d.deliveryId(), config.maxAttempts(),
                    backoffSeconds(d.seriesAttempt()), outcome.statusCode(), failure)).orElse("dead");
        });
    }

    private void tally(String outcome) {
        DispatchResult one = switch (outcome) {
            case "delivered" -> new DispatchResult(1, 0, 0);
            case "dead" -> new DispatchResult(0, 0, 1);
            default -> new DispatchResult(0, 1, 0);
        };
        finished.accumulateAndGet(one, DispatchResult::plus);
    }

    /** base * 2^(attempt-1), capped, times a jitter in [0.8, 1.2) so retries do not march in step. */
    double backoffSeconds(int attempt) {
        double base = config.retryBase().toMillis() / 1000.0;
        double raw = Math.min(config.retryMax().toMillis() / 1000.0, base * Math.pow(2, Math.max(0, attempt - 1)));
        return raw * ThreadLocalRandom.current().nextDouble(0.8, 1.2);
    }

    /**
     * Stops claiming, aborts the requests in flight and gives their claims back (they are
     * due again at once, for this or another instance). Call before the database closes.
     */
    @Override
    public void close() {
        claiming.lock();
        try {
            closed = true;
        } finally {
            claiming.unlock();
        }
        try {
            sender.close();
        } finally {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
