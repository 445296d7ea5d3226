package io.runledger.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Admin;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.batch.BatchOps;
import io.runledger.core.internal.signal.SignalOps;
import io.runledger.core.internal.store.BatchStore;
import io.runledger.core.internal.store.EventStore;
import io.runledger.core.internal.store.IdempotencyStore;
import io.runledger.core.internal.store.MessageStore;
import io.runledger.core.internal.webhook.AddressPolicy;
import io.runledger.core.internal.webhook.WebhookDispatcher;
import io.runledger.core.internal.webhook.WebhookOps;
import io.runledger.api.EventPage;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Run;
import io.runledger.api.RebuildResult;
import io.runledger.api.Runs;
import io.runledger.api.Workers;
import io.runledger.core.internal.db.Database;
import io.runledger.core.internal.db.EmbeddedPostgresServer;
import io.runledger.core.internal.engine.AdminOps;
import io.runledger.core.internal.engine.CancelOps;
import io.runledger.core.internal.engine.EngineRuns;
import io.runledger.core.internal.engine.EngineWorkers;
import io.runledger.core.internal.engine.InputSchemas;
import io.runledger.core.internal.engine.KeyRelease;
import io.runledger.core.internal.engine.Projection;
import io.runledger.core.internal.engine.RunReads;
import io.runledger.core.internal.engine.TriggerOps;
import io.runledger.core.internal.engine.Tx;
import io.runledger.core.internal.engine.WorkerOps;
import io.runledger.core.internal.maintenance.MaintenanceLoop;
import io.runledger.core.internal.maintenance.QueueMaintainer;
import io.runledger.core.internal.maintenance.Sweeper;
import io.runledger.core.internal.notify.PgListener;
import io.runledger.core.internal.notify.WakeUps;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.WebhookStore;
import io.runledger.core.internal.store.WorkerStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RunLedger engine, embeddable in any Java application. Built with {@link #builder()}:
 * with no database URL it starts an embedded PostgreSQL whose data lives under the data
 * directory; with one it uses that server. Several engines (in one process or many) may
 * share one database.
 *
 * <pre>{@code
 * try (RunLedger ledger = RunLedger.builder().dataDirectory(Path.of(".runledger")).build()) {
 *     ledger.admin().scopePut("acme");
 *     ledger.admin().servicePut("acme", "summarize", ServiceSpec.defaults());
 *     Receipt receipt = ledger.runs().trigger("acme", "summarize", TriggerRequest.of(input));
 * }
 * }</pre>
 */
public final class RunLedger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunLedger.class);

    private final EmbeddedPostgresServer embedded;
    private final Database database;
    private final PgListener listener;
    private final Runs runs;
    private final Workers workers;
    private final WorkerOps workerOps;
    private final Admin admin;
    private final Projection projection;
    private final RunReads reads;
    private final Sweeper sweeper;
    private final QueueMaintainer queue;
    private final List<MaintenanceLoop<?>> loops = new ArrayList<>();
    private final TriggerOps triggers;
    private final WebhookOps webhooks;
    private final WebhookDispatcher dispatcher;
    private final SignalOps signals;
    private final BatchOps batches;
    private final RunStore store;
    private final Tx tx;
    private final Thread exitHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final WaitGroup waits;

    private RunLedger(Builder b, EmbeddedPostgresServer embedded, Database database) {
        this.embedded = embedded;
        this.database = database;
        WakeUps wakeUps = new WakeUps();
        this.waits = new WaitGroup();
        RunStore store = new RunStore();
        EventStore ledger = new EventStore();
        ServiceStore services = new ServiceStore();
        this.store = store;
        Tx tx = new Tx(database.jdbi(), ledger, wakeUps, b.listener);
        this.tx = tx;
        InputSchemas schemas = new InputSchemas();
        KeyRelease keys = new KeyRelease(store);
        CancelOps cancels = new CancelOps(tx, store, ledger, keys);
        IdempotencyStore idempotency = new IdempotencyStore();
        this.reads = new RunReads(tx, store, ledger, wakeUps);
        this.triggers = new TriggerOps(tx, store, services, ledger, idempotency, schemas, cancels, b.idempotencyTtl);
        this.runs = new EngineRuns(triggers, reads, cancels, waits);
        this.signals = new SignalOps(tx, store, ledger, new MessageStore());
        this.workerOps = new WorkerOps(tx, store, ledger, services, new WorkerStore(), keys, wakeUps, signals);
        this.workers = new EngineWorkers(workerOps, signals, waits);
        this.batches = new BatchOps(tx, new BatchStore(), triggers);
        WebhookStore hooks = new WebhookStore();
        this.webhooks = new WebhookOps(tx, services, hooks, b.webhookPolicy);
        this.dispatcher = new WebhookDispatcher(tx, store, ledger, hooks, b.webhookPolicy, new WebhookDispatcher.Config(
                b.batchSize, b.webhookMaxAttempts, b.webhookRetryBase, b.webhookRetryMax, b.webhookTimeout,
                b.webhookConcurrencyPerTarget, Builder.WEBHOOK_MAX_IN_FLIGHT));
        this.admin = new AdminOps(tx, services, schemas);
        this.projection = new Projection(tx, store, ledger);
        this.sweeper = new Sweeper(tx, store, keys, b.batchSize);
        this.queue = new QueueMaintainer(tx, store, idempotency, keys, b.batchSize);
        this.listener = new PgListener(database.jdbcUrl(), database.user(), database.password(), wakeUps);
        if (b.backgroundLoops) {
            // Leases that expired while no instance ran (a crash, a long stop) are recovered
            // before this instance hands out any lease or starts its periodic sweep.
            SweepResult boot = sweeper.runOnce();
            log.info("boot sweep: recovered={}, failed={}, cancelled={}", boot.recovered(), boot.failed(),
                    boot.cancelled());
        }
        listener.start();
        if (b.backgroundLoops) {
            loops.add(new MaintenanceLoop<>("sweeper", b.sweepInterval, sweeper::runOnce, b.onSweep));
            loops.add(new MaintenanceLoop<>("queue", b.queueInterval, queue::runOnce, b.onQueue));
            loops.add(new MaintenanceLoop<>("webhooks", b.dispatchInterval, dispatcher::runOnce, b.onDispatch));
            loops.forEach(MaintenanceLoop::start);
        }
        if (b.closeOnExit) {
            exitHook = Thread.ofPlatform().name("runledger-close").unstarted(this::close);
            Runtime.getRuntime().addShutdownHook(exitHook);
        } else {
            exitHook = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trigger, read, wait on and cancel runs. */
    public Runs runs() {
        return runs;
    }

    /** Lease runs and report on them as a worker. */
    public Workers workers() {
        return workers;
    }

    /** Register scopes and services. */
    public Admin admin() {
        return admin;
    }

    /**
     * Events of a run after {@code after}, waiting up to {@code timeout} for one to be
     * appended by any instance on the database. Live streams are built on this: the ledger
     * is the data path, NOTIFY only the wake-up.
     */
    public EventPage eventsAwait(String scope, String runId, long after, int limit, Duration timeout) {
        return reads.eventsAwait(scope, runId, after, limit, timeout, waits);
    }

    /**
     * A live feed of a run's events after {@code after}, for streams: between pages it reads
     * the ledger only when woken by an append (NOTIFY) or at a slow safety re-check. Its
     * waits end when {@code group} ends. Close it when done.
     */
    public EventFeed eventsFollow(String scope, String runId, long after, int limit, WaitGroup group) {
        return reads.follow(scope, runId, after, limit, group);
    }

    /** {@link Runs#await}, ended early (with the run as last read) when {@code group} ends. */
    public Run runAwait(String scope, String runId, Duration timeout, WaitGroup group) {
        return reads.await(scope, runId, timeout, group);
    }

    /** {@link Workers#lease}, ended early (with no leases) when {@code group} ends. */
    public List<Lease> lease(String scope, LeaseRequest request, WaitGroup group) {
        return workerOps.lease(scope, request, group);
    }

    /** Rebuilds a run's projection from its ledger and repairs the row if they differ. */
    public RebuildResult rebuildProjection(String scope, String runId) {
        return projection.rebuild(scope, runId);
    }

    /** One sweep of expired leases, now (the background loop does this periodically). */
    public SweepResult sweep() {
        return sweeper.runOnce();
    }

    /** One pass of scheduled-run release, TTL expiry and key repair, now. */
    public QueueResult maintainQueue() {
        return queue.runOnce();
    }

    /** Preflight of a trigger: would it be accepted now, and if not why. Writes nothing. */
    public ValidationReport validate(String scope, String service, TriggerRequest request) {
        return triggers.preflight(scope, service, request);
    }

    /** Registers up to 1,000 runs in one transaction, all or nothing. */
    public BatchReceipt batchRegister(String scope, String service, List<TriggerRequest> items) {
        return batches.register(scope, service, items);
    }

    public BatchInfo batchGet(String scope, String batchId) {
        return batches.get(scope, batchId);
    }

    /** Sends a signal: a run.signal event plus a message for the worker's next heartbeat. */
    public RunMessage signal(String scope, String runId, String type, JsonNode data, String severity) {
        return signals.signal(scope, runId, type, data, severity);
    }

    public List<RunMessage> messages(String scope, String runId) {
        return signals.list(scope, runId);
    }

    /** The run's worker acknowledges a delivered message (fenced by its lease token). */
    public RunMessage messageAck(String scope, String runId, String messageId, String leaseToken) {
        return signals.ack(scope, runId, messageId, leaseToken);
    }

    /** Creates or replaces a webhook; a null secret keeps the existing one (or makes one). */
    public WebhookInfo webhookPut(String scope, String webhookId, String url, List<String> events, String secret,
                                  Boolean enabled) {
        return webhooks.put(scope, webhookId, url, events, secret, enabled);
    }

    public WebhookInfo webhookGet(String scope, String webhookId) {
        return webhooks.get(scope, webhookId);
    }

    public List<WebhookInfo> webhooksList(String scope) {
        return webhooks.list(scope);
    }

    public void webhookDelete(String scope, String webhookId) {
        webhooks.delete(scope, webhookId);
    }

    public List<WebhookDelivery> webhookDeliveries(String scope, String webhookId, String status, int limit) {
        return webhooks.deliveries(scope, webhookId, status, limit);
    }

    /**
     * One pass of the webhook dispatcher, now (the background loop does this periodically):
     * claims due deliveries into free slots and starts them without waiting; returns what the
     * attempts that ended since the previous pass did.
     */
    public DispatchResult dispatchWebhooks() {
        return dispatcher.runOnce();
    }

    /** Queue depth and oldest queued age per service, for metrics. */
    public List<QueueStat> queueStats() {
        return tx.read(h -> store.queueStats(h).stream()
                .map(r -> new QueueStat(r.scope(), r.service(), r.depth(), r.oldestAgeSeconds())).toList());
    }

    /** The pooled data source, e.g. for readiness checks. */
    public DataSource dataSource() {
        return database.dataSource();
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    /**
     * Stops the background loops, the LISTEN connection, the pool and, last, the embedded
     * PostgreSQL. Closing again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (exitHook != null && Thread.currentThread() != exitHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting already; closing now is what the hook would do
            }
        }
        waits.end();
        loops.forEach(MaintenanceLoop::close);
        dispatcher.close(); // gives back the claims of requests in flight while the database is up
        listener.close();
        database.close();
        if (embedded != null) {
            embedded.close();
        }
        log.info("RunLedger stopped");
    }

    /** Configuration of a {@link RunLedger}; bad values are refused when set. */
    public static final class Builder {
        public static final Path DEFAULT_DATA_DIRECTORY = Path.of(".runledger");
        public static final int DEFAULT_POOL_SIZE = 16;
        public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);
        public static final Duration DEFAULT_QUEUE_INTERVAL = Duration.ofSeconds(1);
        public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
        public static final int DEFAULT_BATCH_SIZE = 500;
        public static final int DEFAULT_WEBHOOK_MAX_ATTEMPTS = 10;
        public static final Duration DEFAULT_WEBHOOK_RETRY_BASE = Duration.ofSeconds(5);
        public static final Duration DEFAULT_WEBHOOK_RETRY_MAX = Duration.ofHours(1);
        public static final Duration DEFAULT_DISPATCH_INTERVAL = Duration.ofMillis(500);
        public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
        public static final int DEFAULT_WEBHOOK_CONCURRENCY_PER_TARGET = 4;
        /** Webhook requests in flight on one instance, all targets together. */
        static final int WEBHOOK_MAX_IN_FLIGHT = 64;

        private String databaseUrl;
        private String databaseUser;
        private String databasePassword;
        private Path dataDirectory = DEFAULT_DATA_DIRECTORY;
        private int poolSize = DEFAULT_POOL_SIZE;
        private boolean backgroundLoops = true;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private Duration queueInterval = DEFAULT_QUEUE_INTERVAL;
        private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private String applicationName = "runledger";
        private Consumer<SweepResult> onSweep = r -> { };
        private Consumer<QueueResult> onQueue = r -> { };
        private Consumer<DispatchResult> onDispatch = r -> { };
        private LedgerListener listener = LedgerListener.NONE;
        private AddressPolicy webhookPolicy = AddressPolicy.strict();
        private List<String> webhookAllowCidrs = List.of();
        private int webhookMaxAttempts = DEFAULT_WEBHOOK_MAX_ATTEMPTS;
        private Duration webhookRetryBase = DEFAULT_WEBHOOK_RETRY_BASE;
        private Duration webhookRetryMax = DEFAULT_WEBHOOK_RETRY_MAX;
        private Duration dispatchInterval = DEFAULT_DISPATCH_INTERVAL;
        private boolean closeOnExit = true;
        private Duration webhookTimeout = DEFAULT_WEBHOOK_TIMEOUT;
        private int webhookConcurrencyPerTarget = DEFAULT_WEBHOOK_CONCURRENCY_PER_TARGET;

        private Builder() {
        }

        /**
         * Applies the {@code RUNLEDGER_*} settings found in {@code env}:
         * {@code RUNLEDGER_DATABASE_URL}, {@code RUNLEDGER_DATABASE_USER},
         * {@code RUNLEDGER_DATABASE_PASSWORD} and {@code RUNLEDGER_DATA_DIR}. Unset ones keep
         * their current value, so explicit settings can follow or precede it.
         */
        public Builder fromEnvironment(java.util.Map<String, String> env) {
            String url = env.get("RUNLEDGER_DATABASE_URL");
            if (url != null && !url.isBlank()) {
                databaseUrl(url);
            }
            String user = env.get("RUNLEDGER_DATABASE_USER");
            if (user != null && !user.isBlank()) {
                databaseUser(user);
            }
            String password = env.get("RUNLEDGER_DATABASE_PASSWORD");
            if (password != null) {
                databasePassword(password);
            }
            String dir = env.get("RUNLEDGER_DATA_DIR");
            if (dir != null && !dir.isBlank()) {
                dataDirectory(Path.of(dir));
            }
            return this;
        }

        /** A JDBC URL of an existing PostgreSQL 14+; without it an embedded one is started. */
        public Builder databaseUrl(String url) {
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("databaseUrl must be a jdbc:postgresql: URL");
            }
            this.databaseUrl = url;
            return this;
        }

        public Builder databaseUser(String user) {
            this.databaseUser = user;
            return this;
        }

        public Builder databasePassword(String password) {
            this.databasePassword = password;
            return this;
        }

        /** Where the embedded PostgreSQL keeps its data (default {@code ./.runledger}). */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = Objects.requireNonNull(dir, "dataDirectory");
            return this;
        }

        public Builder poolSize(int size) {
            if (size < 2 || size > 500) {
                throw new IllegalArgumentException("poolSize must be between 2 and 500");
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Whether a JVM shutdown hook closes the engine (and its embedded PostgreSQL) if it is
         * still open at exit (default true). Turn it off when the owner closes the engine in
         * its own hook, after what still uses it (e.g. an HTTP server draining its streams):
         * JVM hooks run concurrently, so a second hook would stop the database under it.
         */
        public Builder closeOnExit(boolean enabled) {
            this.closeOnExit = enabled;
            return this;
        }

        /**
         * Whether this instance runs the sweeper and queue loops (default true). With them, it
         * also sweeps expired leases once while it is built, before it serves any lease.
         */
        public Builder backgroundLoops(boolean enabled) {
            this.backgroundLoops = enabled;
            return this;
        }

        public Builder sweepInterval(Duration interval) {
            this.sweepInterval = positive(interval, "sweepInterval");
            return this;
        }

        public Builder queueInterval(Duration interval) {
            this.queueInterval = positive(interval, "queueInterval");
            return this;
        }

        /** How long an idempotency key maps to its run (default 24 h). */
        public Builder idempotencyTtl(Duration ttl) {
            this.idempotencyTtl = positive(ttl, "idempotencyTtl");
            if (ttl.toSeconds() < 1) {
                throw new IllegalArgumentException("idempotencyTtl must be at least one second");
            }
            return this;
        }

        public Builder batchSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000");
            }
            this.batchSize = size;
            return this;
        }

        public Builder applicationName(String name) {
            this.applicationName = Objects.requireNonNull(name, "applicationName");
            return this;
        }

        /** Called with the result of every background sweep (tests wait on it). */
        public Builder onSweep(Consumer<SweepResult> hook) {
            this.onSweep = Objects.requireNonNull(hook, "onSweep");
            return this;
        }

        /** Called with the result of every background queue pass. */
        public Builder onQueue(Consumer<QueueResult> hook) {
            this.onQueue = Objects.requireNonNull(hook, "onQueue");
            return this;
        }

        /** Told about committed triggers, starts and settlements (metrics). */
        public Builder listener(LedgerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Called with the result of every background webhook dispatch pass. */
        public Builder onDispatch(Consumer<DispatchResult> hook) {
            this.onDispatch = Objects.requireNonNull(hook, "onDispatch");
            return this;
        }

        /**
         * CIDRs (e.g. {@code 127.0.0.1/32}) that webhooks may target although they lie in a
         * range of the IANA special-purpose registries (loopback, private, link-local, NAT64,
         * documentation, ...); by default all such targets are refused.
         */
        public Builder webhookAllowCidrs(List<String> cidrs) {
            this.webhookPolicy = AddressPolicy.allowing(cidrs);
            this.webhookAllowCidrs = List.copyOf(cidrs);
            return this;
        }

        /** Attempts per webhook delivery before it is marked dead (default 10). */
        public Builder webhookMaxAttempts(int attempts) {
            if (attempts < 1 || attempts > 50) {
                throw new IllegalArgumentException("webhookMaxAttempts must be between 1 and 50");
            }
            this.webhookMaxAttempts = attempts;
            return this;
        }

        /** The first retry delay of a failed delivery; it doubles per attempt up to {@code max}. */
        public Builder webhookRetry(Duration base, Duration max) {
            this.webhookRetryBase = positive(base, "webhook retry base");
            this.webhookRetryMax = positive(max, "webhook retry max");
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException("webhook retry max must be at least the base");
            }
            return this;
        }

        /**
         * The total deadline of one webhook attempt (default 10 s): connect, request and the
         * whole response body; past it the attempt is abandoned and retried later.
         */
        public Builder webhookTimeout(Duration timeout) {
            positive(timeout, "webhookTimeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("webhookTimeout must be between 1 ms and 5 minutes");
            }
            this.webhookTimeout = timeout;
            return this;
        }

        /** Webhook requests in flight at once to one target host:port, per instance (default 4). */
        public Builder webhookConcurrencyPerTarget(int requests) {
            if (requests < 1 || requests > WEBHOOK_MAX_IN_FLIGHT) {
                throw new IllegalArgumentException("webhookConcurrencyPerTarget must be between 1 and "
                        + WEBHOOK_MAX_IN_FLIGHT);
            }
            this.webhookConcurrencyPerTarget = requests;
            return this;
        }

        public Builder dispatchInterval(Duration interval) {
            this.dispatchInterval = positive(interval, "dispatchInterval");
            return this;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }

        /**
         * The database URL as it may be logged: a password given in it (PostgreSQL's JDBC
         * driver takes {@code password=} among its parameters) is replaced by {@code ***}.
         */
        static String redacted(String url) {
            return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
        }

        public RunLedger build() {
            EmbeddedPostgresServer embedded = null;
            String url = databaseUrl;
            String user = databaseUser;
            String password = databasePassword;
            if (url == null) {
                embedded = EmbeddedPostgresServer.start(dataDirectory);
                url = embedded.jdbcUrl();
                user = embedded.user();
                password = embedded.password();
            }
            log.info("RunLedger starting: database={} ({}), pool={}, backgroundLoops={}, sweepInterval={}, "
                            + "queueInterval={}, idempotencyTtl={}, webhookAllowCidrs={}, webhookMaxAttempts={}, "
                            + "webhookTimeout={}, webhookConcurrencyPerTarget={}, closeOnExit={}", redacted(url),
                    embedded != null ? "embedded in " + dataDirectory.toAbsolutePath() : "external", poolSize,
                    backgroundLoops, sweepInterval, queueInterval, idempotencyTtl, webhookAllowCidrs,
                    webhookMaxAttempts, webhookTimeout, webhookConcurrencyPerTarget, closeOnExit);
            Database database = null;
            try {
                database = Database.open(url, user, password, poolSize, applicationName);
                return new RunLedger(this, embedded, database);
            } catch (RuntimeException e) {
                if (database != null) {
                    database.close();
                }
                if (embedded != null) {
                    embedded.close();
                }
                throw e;
            }
        }
    }
}
