package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.Heartbeat;
import io.runledger.api.Lease;
import io.runledger.api.Receipt;
import io.runledger.api.TriggerRequest;
import io.runledger.api.LeaseLostException;
import io.runledger.api.RemoteProblemException;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunError;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunMessage;
import io.runledger.api.UnavailableException;
import io.runledger.client.internal.Backoff;
import io.runledger.client.internal.Wire;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One leased attempt: runs the handler, heartbeats at a third of the lease TTL, and
 * reports exactly one outcome. The outcome is decided once ({@link #reported}); a report
 * that hits a transient error is retried with the same content, which the server answers
 * idempotently, so the attempt is never reported twice with different outcomes. A suspend
 * that took effect is an outcome too, with nothing to report: the server ended the lease.
 */
final class RunExecution implements RunContext, Durable.Attempt {
    private static final System.Logger log = System.getLogger(RunExecution.class.getName());
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(200);
    private static final int REPORT_TRIES = 10;
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(30);

    private final Worker worker;
    private final Lease lease;
    private final RunHandler handler;
    /** Waits in the local queue for a handler slot: a shutdown hands it back unstarted. */
    private static final int QUEUED = 0;
    /** Holds a handler slot but its thread has not begun: it runs, even through a shutdown. */
    private static final int READY = 3;
    private static final int STARTED = 1;
    private static final int RELEASED = 2;

    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final AtomicBoolean reported = new AtomicBoolean();
    private final AtomicBoolean beating = new AtomicBoolean();
    private final List<RunMessage> messages = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> dispatched = new java.util.HashSet<>();
    private volatile Consumer<RunMessage> listener;
    private volatile boolean stopRequested;
    private volatile boolean lost;
    /** The run was suspended: its lease ended, and whatever the handler does after is not reported. */
    private volatile boolean suspended;
    private final Durable durable;
    private volatile Thread thread;
    private ScheduledFuture<?> heartbeat;

    RunExecution(Worker worker, Lease lease, RunHandler handler) {
        this.worker = worker;
        this.lease = lease;
        this.handler = handler;
        this.durable = new Durable(worker, lease, this);
    }

    /** Starts the heartbeats, as soon as the run is leased (it may wait in the local queue). */
    void leased() {
        // The expiry is on the server's clock; a worker whose clock is behind would otherwise
        // beat too rarely and lose its lease, one whose clock is ahead would beat too often.
        Instant now = worker.serverNow();
        Duration ttl = Duration.between(now, lease.leaseExpiresAt());
        Duration period = ttl.dividedBy(3).compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : ttl.dividedBy(3);
        heartbeat = worker.heartbeatScheduler().scheduleAtFixedRate(this::beat, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The run got a handler slot when it was leased: it is not queued, only not yet on its
     * thread, so a shutdown lets it run (as the worker's contract promises for the runs of
     * its last poll) instead of handing it back as if it had waited behind others.
     */
    void slotTaken() {
        state.compareAndSet(QUEUED, READY);
    }

    /**
     * Hands the run back if it waits in the local queue for a handler slot and returns true;
     * otherwise leaves it to finish. Exactly one of this and {@link #run} goes on.
     */
    boolean releaseIfQueued() {
        return handBackUnstarted(QUEUED);
    }

    /** Hands the run back if it is still in state {@code from} (never started) and returns true. */
    private boolean handBackUnstarted(int from) {
        if (!state.compareAndSet(from, RELEASED)) {
            return false;
        }
        heartbeat.cancel(false);
        if (reported.compareAndSet(false, true)) {
            handBack("shut down before starting the run");
        }
        return true;
    }

    void run() {
        if (!state.compareAndSet(QUEUED, STARTED) && !state.compareAndSet(READY, STARTED)) {
            return; // handed back while queued
        }
        if (lost) {
            heartbeat.cancel(false);
            return; // the lease was lost while the run waited in the local queue
        }
        thread = Thread.currentThread();
        JsonNode output = null;
        Throwable failure = null;
        try {
            if (handler == null) {
                throw new NonRetryableException("no_handler", "this worker has no handler for " + lease.service());
            }
            output = handler.handle(this, lease.input());
        } catch (Throwable t) {
            failure = t;
        } finally {
            heartbeat.cancel(false);
            Thread.interrupted(); // a stop's interrupt must not break the report below
            thread = null;
        }
        if (suspended) {
            // Even if the handler swallowed the Suspended and returned: the lease is over, and
            // the run's next lease replays the handler from its recorded steps.
            return;
        }
        if (lost || !reported.compareAndSet(false, true)) {
            return; // another attempt owns the run now, or shutdown already released it
        }
        if (failure == null) {
            JsonNode result = output;
            RunLedgerException refused = report(() -> worker.complete(lease, result));
            if (refused != null && !(refused instanceof RemoteProblemException p && p.status() >= 500)) {
                // e.g. an output over the size limit: retrying would only be refused again, and
                // leaving the run would strand it until its lease expired.
                RunError error = new RunError("output_refused", truncate("the server refused the output: "
                        + refused.getMessage()), Wire.MAPPER.createObjectNode().put("refusal", refused.code()));
                report(() -> worker.fail(lease, error, false, null));
            }
        } else {
            boolean retryable = !(failure instanceof NonRetryableException) && !stopRequested;
            String code = failure instanceof NonRetryableException n ? n.code()
                    : stopRequested ? "stopped"
                    : failure instanceof CommandHandler.CommandFailedException ? "command_failed" : "handler_error";
            String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
            var detail = Wire.MAPPER.createObjectNode().put("exception", failure.getClass().getName());
            if (failure instanceof CommandHandler.CommandFailedException c) {
                detail.put("exitStatus", c.exitStatus());
            }
            RunError error = new RunError(code, truncate(message), detail);
            report(() -> worker.fail(lease, error, retryable, null));
        }
    }

    /**
     * Shutdown ran out of grace: interrupt the handler, wait for it to end (a command gets
     * SIGTERM and its stop grace), and only then hand the run back, so that the next attempt
     * never runs alongside this one. The lease stays alive meanwhile: heartbeats go on until
     * the handler returns.
     */
    void release() {
        if (releaseIfQueued() || handBackUnstarted(READY) || !reported.compareAndSet(false, true)) {
            return;
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                if (!t.join(RELEASE_WAIT)) {
                    log.log(Level.WARNING, "the handler of run {0} ignored its interrupt for {1}; releasing the run"
                            + " anyway", lease.runId(), RELEASE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handBack("shut down mid-run");
    }

    /**
     * A retryable {@code worker_shutdown} failure with no retry delay, so another worker takes
     * the run over at once: the run did not fail, and the retry policy's backoff is for failures.
     */
    private void handBack(String what) {
        RunError error = RunError.of("worker_shutdown", "worker " + worker.workerId() + " " + what);
        report(() -> worker.fail(lease, error, true, 0.0));
    }

    /** Reports with retries on outages; returns the server's refusal of the report, if it refused it. */
    private RunLedgerException report(Runnable call) {
        Duration backoff = Duration.ofMillis(100);
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return null;
            } catch (UnavailableException e) {
                if (attempt >= REPORT_TRIES) {
                    log.log(Level.ERROR, "giving up reporting run {0}; its lease will expire and the sweeper"
                            + " will recover it", lease.runId());
                    return null;
                }
                Backoff.sleep(backoff);
                backoff = Backoff.doubled(backoff, Duration.ofSeconds(5));
            } catch (LeaseLostException | RunAlreadySettledException e) {
                log.log(Level.WARNING, "run {0} was settled elsewhere: {1}", lease.runId(), e.getMessage());
                return null;
            } catch (RunLedgerException e) {
                log.log(Level.ERROR, "run {0}: the server refused the report: {1}", lease.runId(), e.getMessage());
                return e;
            }
        }
    }

    private void beat() {
        if (!beating.compareAndSet(false, true)) {
            return; // the previous heartbeat is still under way
        }
        Thread.ofVirtual().start(() -> {
            try {
                Heartbeat hb = worker.heartbeat(lease);
                messages.addAll(hb.messages());
                hb.messages().forEach(this::dispatch);
                if (hb.stopRequested() && !stopRequested) {
                    stopRequested = true;
                    interruptHandler();
                }
            } catch (LeaseLostException | RunAlreadySettledException e) {
                lost = true;
                interruptHandler();
            } catch (RunLedgerException e) {
                log.log(Level.DEBUG, "heartbeat of {0} failed: {1}", lease.runId(), e.getMessage());
            } finally {
                beating.set(false);
            }
        });
    }

    /** Hands a message to the handler's listener, if any, and acknowledges it once handled. */
    private void dispatch(RunMessage message) {
        Consumer<RunMessage> l = listener;
        if (l == null) {
            return;
        }
        synchronized (dispatched) {
            String id = message.messageId();
            if (!dispatched.add(id)) {
                return; // replayed to a listener registered after it arrived
            }
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                log.log(Level.WARNING, "the message listener of run {0} failed on {1}: {2}", lease.runId(), id,
                        e.toString());
                return;
            }
            try {
                worker.workers().messageAck(worker.scope(), lease.runId(), id, lease.leaseToken());
            } catch (RunLedgerException e) {
                log.log(Level.DEBUG, "ack of message {0} failed: {1}", id, e.getMessage());
            }
        }
    }

    @Override
    public void onMessage(Consumer<RunMessage> listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        messages.forEach(this::dispatch);
    }

    private void interruptHandler() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public long emit(String type, JsonNode data) {
        return fenced(() -> worker.workers().append(worker.scope(), lease.runId(), lease.leaseToken(),
                List.of(new EventDraft(type, data))).get(0));
    }

    @Override
    public <T> T fenced(Supplier<T> call) {
        try {
            return call.get();
        } catch (LeaseLostException | RunAlreadySettledException e) {
            lost = true;
            throw e;
        }
    }

    /**
     * Stops the heartbeats at once (the token is no longer valid; a beat would only find the
     * lease lost and interrupt the unwinding handler) and claims the report, so that a shutdown
     * under way does not hand back a run that is waiting.
     */
    @Override
    public void suspended() {
        suspended = true;
        reported.set(true);
        heartbeat.cancel(false);
    }

    /** For a command handler: the steps and resume results it writes to files, and where it records. */
    Durable durable() {
        return durable;
    }

    Worker worker() {
        return worker;
    }

    @Override
    public JsonNode step(String name, Callable<JsonNode> action) throws Exception {
        return durable.step(name, action);
    }

    @Override
    public void sleep(String name, Duration duration) {
        durable.sleep(name, duration);
    }

    @Override
    public WaitToken createToken(String name, Duration timeout) {
        return durable.createToken(name, timeout);
    }

    @Override
    public JsonNode waitForToken(String name, String waitpointId) {
        return durable.waitForToken(name, waitpointId);
    }

    @Override
    public Receipt triggerChild(String name, String service, TriggerRequest request) {
        return durable.triggerChild(name, service, request);
    }

    @Override
    public List<ChildOutcome> triggerAndWait(String name, String service, List<JsonNode> inputs) {
        return durable.triggerAndWait(name, service, inputs);
    }

    @Override
    public long outputDelta(String text) {
        return emit("output.delta", Wire.MAPPER.createObjectNode().put("text", text));
    }

    @Override
    public long log(String message) {
        return emit("log", Wire.MAPPER.createObjectNode().put("message", message));
    }

    @Override
    public String scope() {
        return worker.scope();
    }

    @Override
    public String runId() {
        return lease.runId();
    }

    @Override
    public String service() {
        return lease.service();
    }

    @Override
    public int attempt() {
        return lease.attempt();
    }

    @Override
    public boolean stopRequested() {
        return stopRequested;
    }

    @Override
    public List<RunMessage> messages() {
        return List.copyOf(messages);
    }

    private static String truncate(String s) {
        return s.length() <= 8000 ? s : s.substring(0, 8000);
    }

}
