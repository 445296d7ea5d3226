package io.runledger.core;

import io.runledger.api.Admin;
import io.runledger.api.Batches;
import io.runledger.api.BulkActions;
import io.runledger.api.DispatchResult;
import io.runledger.api.Ledger;
import io.runledger.api.LedgerListener;
import io.runledger.api.Maintenance;
import io.runledger.api.NotFoundException;
import io.runledger.api.QueueResult;
import io.runledger.api.Receipt;
import io.runledger.api.RunAccessGrant;
import io.runledger.api.RunAccessToken;
import io.runledger.api.RunStatus;
import io.runledger.api.Runs;
import io.runledger.api.Schedules;
import io.runledger.api.ScopeKey;
import io.runledger.api.Signals;
import io.runledger.api.SweepResult;
import io.runledger.api.Threads;
import io.runledger.api.TriggerRequest;
import io.runledger.api.Waitpoints;
import io.runledger.api.Webhooks;
import io.runledger.api.Workers;
import io.runledger.core.internal.Engine;
import io.runledger.core.internal.EngineConfig;
import io.runledger.core.internal.db.Database;
import io.runledger.core.internal.db.EmbeddedPostgresServer;
import io.runledger.core.internal.kernel.RunIds;
import io.runledger.core.internal.maintenance.MaintenanceLoop;
import io.runledger.core.internal.notify.WaitGroup;
import io.runledger.core.internal.schedules.ScheduleFirer;
import io.runledger.core.internal.split.ControlPlaneMirror;
import io.runledger.core.internal.split.MainProbe;
import io.runledger.core.internal.split.OnePhysicalDatabase;
import io.runledger.core.internal.split.SplitLedger;
import io.runledger.core.internal.split.SplitMaintenance;
import io.runledger.core.internal.split.SplitThreads;
import io.runledger.core.internal.webhooks.AddressPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>It is a {@link Ledger}, like the HTTP client, so code written against the accessors
 * runs unchanged in-process or against a remote server:
 *
 * <pre>{@code
 * try (Ledger ledger = RunLedger.builder().dataDirectory(Path.of(".runledger")).build()) {
 *     ledger.admin().scopePut("acme");
 *     ledger.admin().servicePut("acme", "summarize", ServiceSpec.defaults());
 *     Receipt receipt = ledger.runs().trigger("acme", "summarize", TriggerRequest.of(input));
 * }
 * }</pre>
 */
public final class RunLedger implements Ledger {
    private static final Logger log = LoggerFactory.getLogger(RunLedger.class);

    private final EmbeddedPostgresServer embedded;
    private final Database database;
    private final Engine engine;
    /** With a dedicated runs database: its pool, its engine, and the copy of the control plane in it. */
    private final Database runsDatabase;
    private final Engine runsEngine;
    private final ControlPlaneMirror mirror;
    private final MainProbe probe;
    private final MaintenanceLoop<Void> mirrorLoop;
    private final Ledger view;
    private final Thread exitHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunLedger(Builder b, EmbeddedPostgresServer embedded, Database database, Database runsDatabase) {
        this.embedded = embedded;
        this.database = database;
        this.runsDatabase = runsDatabase;
        if (runsDatabase != null) {
            // Before either engine serves: the runs database's statements join the control plane.
            this.mirror = new ControlPlaneMirror(database.jdbi(), runsDatabase.jdbi());
            this.probe = new MainProbe(database.jdbi());
            mirror.sync();
            this.engine = new Engine(database, b.config(false));
            this.runsEngine = new Engine(runsDatabase, b.config(true));
            Ledger runsView = runsEngine.view(new WaitGroup());
            engine.scheduleFirer().target(new ScheduleFirer.Target() {
                @Override
                public Receipt trigger(String scope, String service, TriggerRequest request) {
                    return runsView.runs().trigger(scope, service, request);
                }

                @Override
                public RunStatus status(String scope, String runId) {
                    try {
                        return runsView.runs().get(scope, runId).status();
                    } catch (NotFoundException e) {
                        return null;
                    }
                }
            });
            this.mirrorLoop = new MaintenanceLoop<>("control-plane-mirror", MIRROR_INTERVAL, () -> {
                mirror.sync();
                return null;
            }, r -> { });
            if (b.backgroundLoops) {
                mirrorLoop.start();
            }
            log.info("run data on a dedicated database: {} (the control plane is copied there every {} s)",
                    Builder.redacted(runsDatabase.jdbcUrl()), MIRROR_INTERVAL.toSeconds());
        } else {
            this.mirror = null;
            this.probe = null;
            this.runsEngine = null;
            this.mirrorLoop = null;
            this.engine = new Engine(database, b.config(false));
        }
        this.view = ledger(new WaitGroup());
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

    /** How often the control plane is copied into the runs database besides after each change. */
    static final Duration MIRROR_INTERVAL = Duration.ofSeconds(5);

    /** One ledger over one database, or over both when run data has a database of its own. */
    private Ledger ledger(WaitGroup waits) {
        if (runsEngine == null) {
            return engine.view(waits);
        }
        return new SplitLedger(engine.view(waits), runsEngine.view(waits), probe, mirror,
                runsEngine.bulkOps(), engine.bulkOps());
    }

    /** Whether run data lives on a database of its own ({@code --runs-database-url}). */
    public boolean split() {
        return runsEngine != null;
    }

    @Override
    public Runs runs() {
        return view.runs();
    }

    @Override
    public Workers workers() {
        return view.workers();
    }

    @Override
    public Signals signals() {
        return view.signals();
    }

    @Override
    public Batches batches() {
        return view.batches();
    }

    @Override
    public Webhooks webhooks() {
        return view.webhooks();
    }

    @Override
    public Waitpoints waitpoints() {
        return view.waitpoints();
    }

    @Override
    public Schedules schedules() {
        return view.schedules();
    }

    @Override
    public BulkActions bulkActions() {
        return view.bulkActions();
    }

    @Override
    public Admin admin() {
        return view.admin();
    }

    /**
     * Threads: conversations whose runs share the thread's concurrency key (what the Agent
     * Protocol layer of the server serves). They have no long waits, so no session is needed.
     */
    public Threads threads() {
        return runsEngine == null ? engine.threads() : new SplitThreads(engine.threads(), runsEngine.threads());
    }

    /**
     * Sends the run's terminal event ({@code run.succeeded}, {@code run.failed},
     * {@code run.cancelled} or {@code run.expired}) to {@code url} once it settles, or at once
     * if it has: a one-off webhook of that run, delivered, retried and signed (with a secret of
     * its own, not shown) through the outbox every webhook uses, and deleted with the run.
     * Registering again keeps the first URL.
     *
     * @param scope the scope
     * @param runId the run
     * @param url an http(s) URL the webhook address policy allows
     * @throws io.runledger.api.InvalidArgumentException if the URL is refused
     * @throws io.runledger.api.NotFoundException if there is no such run
     */
    public void runWebhookAdd(String scope, String runId, String url) {
        home(runId).runWebhook(scope, runId, url);
    }

    /** The engine a run (batch, waitpoint) id lives in. */
    private Engine home(String id) {
        return runsEngine != null && RunIds.resident(id) ? runsEngine : engine;
    }

    /**
     * Checks a URL as {@link #runWebhookAdd} does, writing nothing.
     *
     * @param url the URL
     * @throws io.runledger.api.InvalidArgumentException if it is refused
     */
    public void runWebhookCheck(String url) {
        engine.runWebhookCheck(url);
    }

    /** The background work, one pass now, and the queue's statistics. */
    public Maintenance maintenance() {
        return runsEngine == null ? engine : new SplitMaintenance(engine, runsEngine);
    }

    /**
     * The same operations with their long waits (run waits, lease polls, feeds) in a group of
     * their own: closing the session ends those waits at once, each returning what it last
     * read, and leaves the engine running (closing the engine ends them too). A server drains
     * its requests this way.
     */
    public Ledger session() {
        return ledger(new WaitGroup());
    }

    /**
     * The scope and key id of a presented scope key, if it is a live one. A key the database
     * confirmed is used for up to a second without reading it again; revoking a key
     * ({@link io.runledger.api.Admin#keyDelete}) waits that second out, so once it returned the
     * key is refused on every instance.
     */
    public Optional<ScopeKey> scopeKeyVerify(String presented) {
        return engine.keyVerify(presented);
    }

    /**
     * A run access token issued by the holder of a key, for a server: by the scope key
     * {@code keyId} (revoking the key deletes the token), or, with {@code keyId} null, by the
     * admin key whose {@link io.runledger.api.ApiKeys#adminKeyTag tag} is {@code adminKeyTag}.
     * Otherwise as {@link io.runledger.api.Runs#issueAccessToken}.
     */
    public RunAccessToken runAccessTokenIssue(String scope, String runId, Duration ttl, String keyId,
                                              String adminKeyTag) {
        if ((keyId == null) == (adminKeyTag == null)) {
            throw new IllegalArgumentException("exactly one of keyId and adminKeyTag must be given");
        }
        return home(runId).accessTokenIssue(scope, runId, ttl, keyId, adminKeyTag);
    }

    /**
     * What a presented run access token grants, expired or not (the caller refuses an expired
     * one); empty when it is no live token of this database. Looked up on every call, never
     * cached, so a token whose key was revoked or whose run was deleted is refused at once.
     */
    public Optional<RunAccessGrant> runAccessTokenVerify(String presented) {
        if (runsEngine != null) {
            Optional<RunAccessGrant> onRuns = runsEngine.accessTokenVerify(presented);
            if (onRuns.isPresent()) {
                return onRuns;
            }
        }
        return engine.accessTokenVerify(presented);
    }

    /** The pooled data source, e.g. for readiness checks. */
    public DataSource dataSource() {
        return database.dataSource();
    }

    /** The runs database's pooled data source, when run data has a database of its own. */
    public Optional<DataSource> runsDataSource() {
        return runsDatabase == null ? Optional.empty() : Optional.of(runsDatabase.dataSource());
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    /**
     * Ends every long wait, stops the background loops, the LISTEN connection, the pool and,
     * last, the embedded PostgreSQL. Closing again does nothing.
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
        if (mirrorLoop != null) {
            mirrorLoop.close();
        }
        if (runsEngine != null) {
            runsEngine.close();
        }
        engine.close(); // ends the waits of the engine's own view and of every session first
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
        /** How often the retention pass looks for runs past their service's retention. */
        public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofSeconds(10);
        public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
        public static final int DEFAULT_WEBHOOK_CONCURRENCY_PER_TARGET = 4;
        /** Webhook requests in flight on one instance, all targets together. */
        static final int WEBHOOK_MAX_IN_FLIGHT = 64;

        private String databaseUrl;
        private String databaseUser;
        private String databasePassword;
        private String runsDatabaseUrl;
        private String runsDatabaseUser;
        private String runsDatabasePassword;
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
        private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
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
            String runsUrl = env.get("RUNLEDGER_RUNS_DATABASE_URL");
            if (runsUrl != null && !runsUrl.isBlank()) {
                runsDatabaseUrl(runsUrl);
            }
            String runsUser = env.get("RUNLEDGER_RUNS_DATABASE_USER");
            if (runsUser != null && !runsUser.isBlank()) {
                runsDatabaseUser(runsUser);
            }
            String runsPassword = env.get("RUNLEDGER_RUNS_DATABASE_PASSWORD");
            if (runsPassword != null) {
                runsDatabasePassword(runsPassword);
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

        /**
         * A JDBC URL of a second PostgreSQL 14+ (or another database of the same cluster) for
         * run data: runs created from now on, with their ledgers, steps, messages, waitpoints,
         * idempotency keys, batches and webhook deliveries, live there, with ids that say so;
         * runs created before stay readable, cancellable and completable where they are. The
         * control plane (scopes, keys, services, schedules, webhook endpoints) stays on the
         * main database and is copied there. It needs an external main database (not the
         * embedded one) and must not reach the same database as it.
         */
        public Builder runsDatabaseUrl(String url) {
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("runsDatabaseUrl must be a jdbc:postgresql: URL");
            }
            this.runsDatabaseUrl = url;
            return this;
        }

        /** The runs database's user (default: the main database's). */
        public Builder runsDatabaseUser(String user) {
            this.runsDatabaseUser = user;
            return this;
        }

        /** The runs database's password (default: the main database's). */
        public Builder runsDatabasePassword(String password) {
            this.runsDatabasePassword = password;
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

        /** How often the background retention pass runs (default 10 s). */
        public Builder retentionInterval(Duration interval) {
            this.retentionInterval = positive(interval, "retentionInterval");
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

        private EngineConfig config(boolean residentIds) {
            return new EngineConfig(backgroundLoops, sweepInterval, queueInterval, dispatchInterval, idempotencyTtl,
                    batchSize, onSweep, onQueue, onDispatch, listener, webhookPolicy, new EngineConfig.Webhooks(
                            webhookMaxAttempts, webhookRetryBase, webhookRetryMax, webhookTimeout,
                            webhookConcurrencyPerTarget, WEBHOOK_MAX_IN_FLIGHT), retentionInterval, residentIds);
        }

        public RunLedger build() {
            EmbeddedPostgresServer embedded = null;
            String url = databaseUrl;
            String user = databaseUser;
            String password = databasePassword;
            if (runsDatabaseUrl != null && url == null) {
                throw new IllegalArgumentException("a runs database needs an external main database: give"
                        + " --database-url too");
            }
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
            Database runsDatabase = null;
            try {
                database = Database.open(url, user, password, poolSize, applicationName);
                if (runsDatabaseUrl != null) {
                    runsDatabase = Database.open(runsDatabaseUrl, runsDatabaseUser != null ? runsDatabaseUser : user,
                            runsDatabasePassword != null ? runsDatabasePassword : password, poolSize,
                            applicationName);
                    OnePhysicalDatabase.refuse(database.jdbi(), runsDatabase.jdbi());
                }
                return new RunLedger(this, embedded, database, runsDatabase);
            } catch (RuntimeException e) {
                if (runsDatabase != null) {
                    runsDatabase.close();
                }
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

    /** How many lease polls of this instance wait with an open offer to triggers (for tests). */
    int pollsWaiting() {
        return engine.pollsWaiting() + (runsEngine == null ? 0 : runsEngine.pollsWaiting());
    }
}
