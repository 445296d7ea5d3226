package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Completion;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Ledger;
import io.runledger.api.RunError;
import io.runledger.api.Settlement;
import io.runledger.api.Workers;
import io.runledger.client.internal.Backoff;
import io.runledger.client.internal.Coalescer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Executes runs of one or more services: long-polls for leases up to its concurrency (plus
 * its {@linkplain Builder#localQueue local queue}), runs each attempt on a virtual thread
 * with automatic heartbeats, and reports exactly one outcome per attempt. Completions,
 * failures and heartbeats of concurrent runs go to the server together: one batched call
 * carries what was reported while the previous call was under way, so a busy worker makes
 * a few calls where it would make one per run, and an idle one waits for nothing. Works against a remote server ({@link RunLedgerClient}) or the
 * embedded engine alike, since both are a {@link Ledger}.
 *
 * <pre>{@code
 * Worker worker = Worker.builder(ledger).scope("demo")
 *         .handle("summarize", (ctx, input) -> { ctx.outputDelta("..."); return output; })
 *         .build().start();
 * }</pre>
 */
public final class Worker implements AutoCloseable {
    private static final System.Logger log = System.getLogger(Worker.class.getName());
    private static final Duration MAX_POLL_BACKOFF = Duration.ofSeconds(10);

    private final Ledger ledger;
    private final Workers workers;
    private final Supplier<Instant> serverClock;
    private final String scope;
    private final String workerId;
    private final int concurrency;
    private final int localQueue;
    private final Map<String, RunHandler> handlers;
    private final Duration pollWait;
    private final Duration shutdownGrace;
    private final String version;
    /** Runs this worker may hold (running and queued); a lease asks for the free ones. */
    private final Semaphore slots;
    /** Handlers running at once. */
    private final Semaphore handlerSlots;
    private final Coalescer<Completion, ItemOutcome<Settlement>> completions;
    private final Coalescer<Failure, ItemOutcome<Settlement>> failures;
    private final Coalescer<LeaseRef, ItemOutcome<Heartbeat>> heartbeatCalls;
    private final ExecutorService executions = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService heartbeats;
    private final Set<RunExecution> inFlight = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Thread poller;
    private final Object pollLock = new Object();
    private boolean leasing; // guarded by pollLock: a lease call is in flight
    private volatile boolean running;

    private Worker(Builder b) {
        this.ledger = b.ledger;
        this.workers = b.ledger.workers();
        // The lease expiry times are on the server's clock; a remote one may differ from ours.
        this.serverClock = b.ledger instanceof RunLedgerClient client ? client::serverNow : Instant::now;
        this.scope = b.scope;
        this.workerId = b.workerId;
        this.concurrency = b.concurrency;
        this.localQueue = b.localQueue;
        this.handlers = Map.copyOf(b.handlers);
        this.pollWait = b.pollWait;
        this.shutdownGrace = b.shutdownGrace;
        this.version = b.version;
        this.slots = new Semaphore(concurrency + localQueue);
        this.handlerSlots = new Semaphore(concurrency);
        this.completions = new Coalescer<>(items -> workers.completeAll(scope, items), Workers.MAX_ITEMS);
        this.failures = new Coalescer<>(items -> workers.failAll(scope, items), Workers.MAX_ITEMS);
        this.heartbeatCalls = new Coalescer<>(items -> workers.heartbeatAll(scope, items), Workers.MAX_ITEMS);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("runledger-heartbeats-" + workerId).daemon(true).factory());
        this.poller = Thread.ofPlatform().name("runledger-poller-" + workerId).daemon(true).unstarted(this::poll);
    }

    /**
     * A worker of {@code ledger}: an embedded engine or a {@link RunLedgerClient}.
     *
     * @param ledger where the runs come from and the reports go
     * @return a builder; a scope and at least one handler are required
     */
    public static Builder builder(Ledger ledger) {
        return new Builder(ledger);
    }

    /** {@return the id this worker leases with, recorded on the runs it executes} */
    public String workerId() {
        return workerId;
    }

    /**
     * Starts polling; returns this worker.
     *
     * @return this worker
     */
    public Worker start() {
        running = true;
        poller.start();
        log.log(Level.INFO, "worker {0} polling scope {1} for {2} with concurrency {3}",
                workerId, scope, handlers.keySet(), concurrency);
        return this;
    }

    /**
     * Runs held right now.
     *
     * @return the runs it holds: executing or queued locally
     */
    public int inFlight() {
        return inFlight.size();
    }

    private void poll() {
        Duration backoff = Duration.ofMillis(200);
        List<String> services = List.copyOf(handlers.keySet());
        while (running) {
            int granted = 0;
            try {
                slots.acquire();
                granted = 1 + slots.drainPermits();
                synchronized (pollLock) {
                    if (!running) {
                        break;
                    }
                    leasing = true;
                }
                List<Lease> leases;
                try {
                    leases = workers.lease(scope, new LeaseRequest(workerId, services, granted, pollWait, version, null));
                } finally {
                    synchronized (pollLock) {
                        leasing = false;
                    }
                }
                for (Lease lease : leases) {
                    granted--;
                    RunExecution execution = new RunExecution(this, lease, handlers.get(lease.service()));
                    inFlight.add(execution);
                    execution.leased(); // heartbeats start now: a queued run must keep its lease
                    boolean slotNow = handlerSlots.tryAcquire();
                    if (slotNow) {
                        execution.slotTaken();
                    }
                    executions.submit(() -> {
                        try {
                            if (!slotNow) {
                                handlerSlots.acquireUninterruptibly();
                            }
                            try {
                                execution.run();
                            } finally {
                                handlerSlots.release();
                            }
                        } finally {
                            inFlight.remove(execution);
                            slots.release();
                        }
                    });
                }
                backoff = Duration.ofMillis(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // Any failure (an outage, a refusal, an unexpected answer) must not end the
                // poller silently and leave a worker that looks alive but leases nothing.
                if (!running) {
                    break;
                }
                log.log(Level.WARNING, "lease failed ({0}); retrying in {1} ms", e.getMessage(), backoff.toMillis());
                Backoff.sleep(backoff);
                backoff = Backoff.doubled(backoff, MAX_POLL_BACKOFF);
            } finally {
                if (granted > 0) {
                    slots.release(granted);
                }
            }
        }
    }

    Workers workers() {
        return workers;
    }

    /** The whole ledger, for what a durable handler reads or creates besides its lease's calls. */
    Ledger ledger() {
        return ledger;
    }

    /** Now on the clock of the lease expiry times: the server's. */
    Instant serverNow() {
        return serverClock.get();
    }

    String scope() {
        return scope;
    }

    ScheduledExecutorService heartbeatScheduler() {
        return heartbeats;
    }

    /** Completes the run with the next batched call; throws the item's refusal as {@code complete} would. */
    void complete(Lease lease, JsonNode output) {
        completions.call(new Completion(lease.runId(), lease.leaseToken(), output)).orThrow();
    }

    /**
     * Fails the attempt with the next batched call; throws the item's refusal as {@code fail}
     * would. {@code retryAfterSeconds} null: the retry policy's delay.
     */
    void fail(Lease lease, RunError error, boolean retryable, Double retryAfterSeconds) {
        failures.call(new Failure(lease.runId(), lease.leaseToken(), error, retryable, retryAfterSeconds)).orThrow();
    }

    /** Heartbeats the lease with the next batched call; throws the item's refusal as {@code heartbeat} would. */
    Heartbeat heartbeat(Lease lease) {
        return heartbeatCalls.call(new LeaseRef(lease.runId(), lease.leaseToken())).orThrow();
    }

    /**
     * Stops leasing, lets in-flight runs finish for up to the grace period, then interrupts
     * the rest and releases them (a retryable {@code worker_shutdown} failure) so another
     * worker takes them over at once. The future completes when all is done.
     *
     * <p>A lease long-poll already under way is not cut off: the server cannot tell that
     * its caller left and would hand the next run to it, stranding that run until its lease
     * expired. The poll is let to return (within the poll wait), and the runs it brings are
     * executed like the others in flight. So shutdown may take up to the poll wait longer.
     *
     * @return a future that completes once every run was finished or released
     */
    public CompletableFuture<Void> shutdown() {
        if (!running) {
            terminated.complete(null);
            return terminated;
        }
        synchronized (pollLock) {
            running = false;
            if (!leasing) {
                poller.interrupt(); // waiting for a free slot or backing off: nothing to lose
            }
        }
        Thread.ofVirtual().start(() -> {
            try {
                poller.join();
                // Runs still queued locally never started: hand them back at once, so another
                // worker takes them now rather than after this one's grace period.
                eachHeldAtOnce(RunExecution::releaseIfQueued);
                executions.shutdown();
                if (!executions.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    // All at once: each release waits for its handler to end.
                    eachHeldAtOnce(RunExecution::release);
                    executions.awaitTermination(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                heartbeats.shutdownNow();
                terminated.complete(null);
            }
        });
        return terminated;
    }

    @Override
    public void close() {
        shutdown().join();
    }

    /** Runs {@code action} on every run held, each on its own virtual thread, and waits for all. */
    private void eachHeldAtOnce(Consumer<RunExecution> action) throws InterruptedException {
        List<Thread> threads = inFlight.stream()
                .map(e -> Thread.ofVirtual().name("runledger-release").start(() -> action.accept(e))).toList();
        for (Thread t : threads) {
            t.join();
        }
    }


    /** Configuration of a {@link Worker}; wiring happens in {@link #build()}. */
    public static final class Builder {
        /** How many runs a worker executes at once unless told otherwise. */
        public static final int DEFAULT_CONCURRENCY = 4;
        /**
         * Short, because a shutdown waits for the poll under way to return (see
         * {@link Worker#shutdown()}); an idle worker costs one lease request per poll wait.
         */
        public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(5);
        /** How long a shutdown waits for runs in flight unless told otherwise. */
        public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

        private final Ledger ledger;
        private String scope;
        private String workerId = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        private int concurrency = DEFAULT_CONCURRENCY;
        private int localQueue;
        private final Map<String, RunHandler> handlers = new LinkedHashMap<>();
        private Duration pollWait = DEFAULT_POLL_WAIT;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private String version;

        private Builder(Ledger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
        }

        /**
         * The scope whose runs it executes (required).
         *
         * @param scope the scope
         * @return this builder
         */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * The id it leases with (default {@code worker-} and 8 random characters).
         *
         * @param id 1..255 characters
         * @return this builder
         * @throws IllegalArgumentException if it is blank or too long
         */
        public Builder workerId(String id) {
            if (id == null || id.isBlank() || id.length() > 255) {
                throw new IllegalArgumentException("workerId must be 1..255 characters");
            }
            this.workerId = id;
            return this;
        }

        /**
         * How many runs at once (default 4); each runs on its own virtual thread.
         *
         * @param n 1..100
         * @return this builder
         * @throws IllegalArgumentException if it is out of range
         */
        public Builder concurrency(int n) {
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException("concurrency must be between 1 and 100");
            }
            this.concurrency = n;
            return this;
        }

        /**
         * Runs leased ahead and held while every handler is busy (default 0): each starts the
         * moment a handler is free, without a lease round trip, and keeps its lease alive by
         * heartbeats meanwhile. Worth it for many short runs; for long ones (an agent's
         * minutes-long answer) leave it at 0, since a run queued here waits for this worker
         * while another may be idle. Queued runs are handed back at once on shutdown.
         *
         * @param n 0..1,000
         * @return this builder
         * @throws IllegalArgumentException if it is out of range
         */
        public Builder localQueue(int n) {
            if (n < 0 || n > LeaseRequest.MAX_BATCH) {
                throw new IllegalArgumentException("localQueue must be between 0 and " + LeaseRequest.MAX_BATCH);
            }
            this.localQueue = n;
            return this;
        }

        /**
         * Executes the runs of {@code service} with {@code handler}; the worker leases only the services it
         * has handlers for.
         *
         * @param service the service
         * @param handler what executes one attempt
         * @return this builder
         */
        public Builder handle(String service, RunHandler handler) {
            handlers.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * How long one lease call waits for work (default 5 s, at most 60 s); a shutdown may wait this long.
         *
         * @param wait 0..60 s
         * @return this builder
         * @throws IllegalArgumentException if it is out of range
         */
        public Builder pollWait(Duration wait) {
            if (wait.isNegative() || wait.compareTo(LeaseRequest.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("pollWait must be between 0 and " + LeaseRequest.MAX_WAIT);
            }
            this.pollWait = wait;
            return this;
        }

        /**
         * How long shutdown waits for in-flight runs before releasing them (default 30 s).
         *
         * @param grace the grace period
         * @return this builder
         */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "shutdownGrace");
            return this;
        }

        /**
         * The version the worker announces with its leases, shown in the list of workers.
         *
         * @param version any text, or null
         * @return this builder
         */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /**
         * A worker, not started yet (see {@link Worker#start()}).
         *
         * @return the worker
         * @throws IllegalStateException without a scope or a handler
         */
        public Worker build() {
            if (scope == null) {
                throw new IllegalStateException("scope is required");
            }
            if (handlers.isEmpty()) {
                throw new IllegalStateException("at least one handler is required");
            }
            return new Worker(this);
        }
    }
}
