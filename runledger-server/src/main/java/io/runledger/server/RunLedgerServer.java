package io.runledger.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.runledger.api.ApiKeys;
import io.runledger.api.Ledger;
import io.runledger.api.RunLedgerException;
import io.runledger.core.RunLedger;
import io.runledger.server.admin.AdminRoutes;
import io.runledger.server.agentprotocol.AgentProtocolRoutes;
import io.runledger.server.agentprotocol.RunWebhooks;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.batches.BatchRoutes;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.HttpProblem;
import io.runledger.server.http.JettyProblems;
import io.runledger.server.http.LongPolls;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Problems;
import io.runledger.server.http.RequestHeadDeadline;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.UnreadBodies;
import io.runledger.server.metrics.MetricsRoutes;
import io.runledger.server.metrics.ServerMetrics;
import io.runledger.server.ops.ApiDocument;
import io.runledger.server.ops.DocsRoutes;
import io.runledger.server.ops.HealthRoutes;
import io.runledger.server.runs.AccessTokenRoutes;
import io.runledger.server.runs.RunRoutes;
import io.runledger.server.runs.RunTreeRoutes;
import io.runledger.server.signals.SignalRoutes;
import io.runledger.server.stream.RunStreamer;
import io.runledger.server.steps.StepRoutes;
import io.runledger.server.stream.StreamRoutes;
import io.runledger.server.schedules.ScheduleRoutes;
import io.runledger.server.waitpoints.CallbackRoutes;
import io.runledger.server.waitpoints.SuspendRoutes;
import io.runledger.server.waitpoints.WaitpointRoutes;
import io.runledger.server.bulk.BulkActionRoutes;
import io.runledger.server.webhooks.WebhookRoutes;
import io.runledger.server.workers.WorkerRoutes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server over one {@link RunLedger} engine: API v1, SSE streams and API-key auth.
 * Stateless apart from the engine, so any number of instances may share one database.
 *
 * <pre>{@code
 * try (RunLedgerServer server = RunLedgerServer.builder(ledger).adminKeyHash(hash).port(0).start()) {
 *     System.out.println(server.url());
 * }
 * }</pre>
 *
 * The caller owns the engine and closes it after the server.
 */
public final class RunLedgerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunLedgerServer.class);
    /** How often a stopping server looks for connections left idle once requests are done. */
    private static final Duration CLOSE_IDLE_CHECK = Duration.ofMillis(20);

    private final Javalin app;
    private final LongPolls polls;
    private final ServerMetrics metrics;
    private final HeldRequests held;
    private final String host;
    private final List<Route> routes;
    private volatile ServerConnector connector;
    private final GracefulHandler graceful = new GracefulHandler();
    private final Duration stopTimeout;

    /** A registered route: HTTP method (upper case) and path pattern. */
    public record Route(String method, String path) {
    }

    private RunLedgerServer(Builder b) {
        this.stopTimeout = b.stopTimeout;
        this.host = b.host;
        // Every route works through one session of the engine: draining the server ends the
        // session's long waits and leaves the engine (which the caller owns) running.
        this.polls = new LongPolls(b.ledger.session());
        Ledger ledger = polls.session();
        Authenticator auth = new Authenticator(b.adminKeyHash, b.ledger::scopeKeyVerify,
                b.ledger::runAccessTokenVerify);
        ServerMetrics metrics = b.metrics != null ? b.metrics : new ServerMetrics();
        metrics.queueStats(b.ledger.maintenance()::queueStats);
        metrics.servicesPaused(b.ledger.maintenance()::servicesPaused);
        this.metrics = metrics;
        RunStreamer streamer = new RunStreamer(ledger.runs(), polls, b.keepAlive, metrics);
        HeldRequests held = new HeldRequests(b.held);
        this.held = held;
        List<Route> registered = new CopyOnWriteArrayList<>();
        this.routes = registered;
        this.app = Javalin.create(config -> {
            configureServer(config, b);
            config.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod() && meta.getHttpMethod() != HandlerType.HEAD) {
                    registered.add(new Route(meta.getHttpMethod().name(), meta.getPath()));
                }
            });
            configureErrors(config);
            new AdminRoutes(ledger.admin(), auth).register(config.routes);
            new RunRoutes(ledger.runs(), auth, held).register(config.routes);
            new StreamRoutes(ledger.runs(), auth, streamer, held).register(config.routes);
            new AccessTokenRoutes(b.ledger::runAccessTokenIssue, auth).register(config.routes);
            new WorkerRoutes(ledger.workers(), auth, held).register(config.routes);
            new HealthRoutes(b.ledger.dataSource(), b.ledger.runsDataSource().orElse(null)).register(config.routes);
            new WebhookRoutes(ledger.webhooks(), auth).register(config.routes);
            new SignalRoutes(ledger.signals(), ledger.workers(), auth).register(config.routes);
            new BatchRoutes(ledger.batches(), auth).register(config.routes);
            new RunTreeRoutes(ledger.runs(), ledger.workers(), auth).register(config.routes);
            new StepRoutes(ledger.runs(), ledger.workers(), auth).register(config.routes);
            new SuspendRoutes(ledger.workers(), auth).register(config.routes);
            new WaitpointRoutes(ledger.waitpoints(), auth).register(config.routes);
            new ScheduleRoutes(ledger.schedules(), auth).register(config.routes);
            new BulkActionRoutes(ledger.bulkActions(), auth).register(config.routes);
            // The one route without a key: its secret is the authority (see CallbackRoutes).
            new CallbackRoutes(ledger.waitpoints()).register(config.routes);
            new MetricsRoutes(metrics, auth, b.metricsTokenHash, b.metricsPublic).register(config.routes);
            RunWebhooks runWebhooks = new RunWebhooks() {
                @Override
                public void check(String url) {
                    b.ledger.runWebhookCheck(url);
                }

                @Override
                public void add(String scope, String runId, String url) {
                    b.ledger.runWebhookAdd(scope, runId, url);
                }
            };
            new AgentProtocolRoutes(ledger, b.ledger.threads(), runWebhooks, auth, polls, held, b.keepAlive, metrics)
                    .register(config.routes);
            new io.runledger.server.ui.ObserveRoutes().register(config.routes);
            new DocsRoutes().register(config.routes);
            byte[] openApi = ServerJson.bytes(ApiDocument.build());
            config.routes.get(Paths.OPENAPI, ctx -> ctx.contentType(Responses.JSON).result(openApi));
        });
    }

    private void configureServer(JavalinConfig config, Builder b) {
        config.startup.showJavalinBanner = false;
        config.concurrency.useVirtualThreads = true;
        config.http.compressionStrategy = CompressionStrategy.NONE;
        RequestHeadDeadline headDeadline = new RequestHeadDeadline(b.requestHeadTimeout, graceful);
        config.jetty.modifyServer(server -> {
            // Graceful stop: stop accepting, let in-flight requests finish (long waits are
            // drained first), then close.
            server.setStopTimeout(b.stopTimeout.toMillis());
            server.setHandler(headDeadline);
            server.setErrorHandler(new JettyProblems());
        });
        config.jetty.addConnector((server, javalinHttpConfig) -> {
            // Three clocks. A request head must be complete within requestHeadTimeout
            // (RequestHeadDeadline: Jetty's idle timeout restarts with every byte, so alone
            // it lets a head trickle in forever). Between requests the connector's idle
            // timeout closes a silent kept-alive connection. Once a head is complete Jetty
            // switches the connection to the HTTP configuration's idle timeout until the
            // answer is sent, longer than the longest wait (GET .../wait up to 300 s;
            // streams write a keep-alive every 15 s), so no wait is cut.
            HttpConfiguration httpConfig = new HttpConfiguration(javalinHttpConfig);
            // Javalin's LEGACY compliance lets %uXXXX escapes through, which its own path
            // parameter decoding then fails on (a 500); Jetty refuses them with a 400 instead.
            httpConfig.setUriCompliance(httpConfig.getUriCompliance().without("LEGACY_NO_UTF16",
                    UriCompliance.Violation.UTF16_ENCODINGS));
            httpConfig.setIdleTimeout(Duration.ofSeconds(RunRoutes.MAX_WAIT_SECONDS + 30).toMillis());
            ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
            c.setHost(b.host);
            c.setPort(b.port);
            c.setIdleTimeout(b.connectionIdleTimeout.toMillis());
            c.addEventListener(headDeadline.connectionListener());
            // Past the cap Jetty stops accepting: further connections wait in the OS backlog
            // until one closes, so a flood of idle sockets cannot exhaust the process.
            server.addBean(new NetworkConnectionLimit(b.maxConnections, c));
            connector = c;
            return c;
        });
        config.requestLogger.http((ctx, ms) -> {
            var endpoint = ctx.endpoints().lastHttpEndpoint();
            metrics.httpRequest(ctx.method().name(), endpoint == null ? "unmatched" : endpoint.path,
                    ctx.statusCode(), Duration.ofNanos((long) (ms * 1_000_000)),
                    HeldRequests.heldAs(ctx));
            // Refusals at INFO; successes at DEBUG: at thousands of requests a second a line
            // each would cost more than the work, and the ledger and metrics already say it.
            if (ctx.statusCode() >= 400) {
                log.info("{} {} -> {} in {} ms", ctx.method(), Paths.redacted(ctx.path()), ctx.statusCode(), Math.round(ms));
            } else if (log.isDebugEnabled()) {
                log.debug("{} {} -> {} in {} ms", ctx.method(), Paths.redacted(ctx.path()), ctx.statusCode(),
                        Math.round(ms));
            }
            MDC.clear();
        });
    }

    private static void configureErrors(JavalinConfig config) {
        config.routes.exception(RunLedgerException.class, (e, ctx) -> Problems.write(ctx, e));
        config.routes.exception(HttpProblem.class, (e, ctx) -> Problems.write(ctx, e));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, e));
        config.routes.exception(Exception.class, (e, ctx) -> Problems.writeUnexpected(ctx, e));
        // Javalin answers HEAD on any GET route by itself, with an empty 200 and without
        // running the handler, so no key would be checked. The API defines no HEAD: refuse it
        // wherever a key is needed (health, the UI and the API document stay public).
        config.routes.before("/v1/*", RunLedgerServer::refuseHead);
        config.routes.before(Paths.METRICS, RunLedgerServer::refuseHead);
        config.routes.after(UnreadBodies::drain);
        // Javalin's own 404 (no route) and 405 answers: make them problems too, unless a
        // handler already wrote one (a run_not_found is a 404 as well).
        for (int status : new int[] {404, 405}) {
            config.routes.error(status, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith(Problems.CONTENT_TYPE)) {
                    Problems.write(ctx, status, status == 404 ? "not_found" : "method_not_allowed",
                            "no such endpoint: " + ctx.method() + " " + Paths.redacted(ctx.path()), Map.of());
                }
            });
        }
    }

    private static void refuseHead(Context ctx) {
        if (ctx.method() == HandlerType.HEAD) {
            ctx.header("Allow", "GET");
            throw new HttpProblem(405, "method_not_allowed", "HEAD is not supported here; use GET");
        }
    }

    public static Builder builder(RunLedger ledger) {
        return new Builder(ledger);
    }

    /** The port the server listens on (the real one when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    /** The bounds on held requests (streams, waits, lease polls) and how many are held now. */
    public HeldRequests held() {
        return held;
    }

    /** Every route the router registered, for checking the OpenAPI document against. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private RunLedgerServer begin() {
        app.start();
        // The router has every route now: each has its latency series from the first scrape.
        routes.forEach(r -> metrics.httpRoute(r.method(), r.path()));
        log.info("RunLedger server listening on {}", url());
        return this;
    }

    /**
     * Graceful stop: long waits and streams end at once, new connections are refused,
     * requests in flight finish (up to the stop timeout).
     */
    @Override
    public void close() {
        log.info("RunLedger server stopping");
        polls.drain();
        Thread closer = Thread.ofVirtual().name("runledger-close-idle").start(this::closeIdleConnections);
        try {
            app.stop();
        } finally {
            closer.interrupt();
        }
        log.info("RunLedger server stopped");
    }

    /**
     * Jetty's graceful stop also waits for every connection to close. It shortens the idle
     * timeout of the connections open when the stop begins, but a connection whose request
     * ends during the stop (a drained stream or poll) gets back the timeout it had before
     * that request, and a kept-alive client then holds the stop for up to the connection
     * idle timeout. So once the stop has begun (no request is admitted any more) and no
     * request is in flight, every connection left is idle and is closed here.
     */
    private void closeIdleConnections() {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                ServerConnector c = connector;
                if (graceful.isShutdown() && graceful.getCurrentRequestCount() == 0 && c != null) {
                    c.getConnectedEndPoints().forEach(EndPoint::close);
                    if (c.getConnectedEndPoints().isEmpty()) {
                        return;
                    }
                }
                Thread.sleep(CLOSE_IDLE_CHECK.toMillis());
            }
        } catch (InterruptedException e) {
            // the stop is over
        }
    }

    /** Configuration of a {@link RunLedgerServer}; bad values are refused when set. */
    public static final class Builder {
        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 7070;
        public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_STREAMS_PER_KEY = 100;
        public static final int DEFAULT_MAX_WAITS_PER_KEY = 100;
        public static final int DEFAULT_MAX_LEASE_POLLS_PER_KEY = 50;
        /** A scope's bound is four keys' worth by default. */
        public static final int SCOPE_FACTOR = 4;
        public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_CONNECTION_IDLE_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_CONNECTIONS = 4_096;

        private final RunLedger ledger;
        private String adminKeyHash;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration keepAlive = RunStreamer.DEFAULT_KEEP_ALIVE;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private Duration requestHeadTimeout = DEFAULT_REQUEST_HEAD_TIMEOUT;
        private Duration connectionIdleTimeout = DEFAULT_CONNECTION_IDLE_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private ServerMetrics metrics;
        private String metricsTokenHash;
        private boolean metricsPublic;
        private final java.util.EnumMap<HeldRequests.Kind, HeldRequests.Bounds> held =
                new java.util.EnumMap<>(HeldRequests.Kind.class);

        private Builder(RunLedger ledger) {
            held.put(HeldRequests.Kind.STREAM, new HeldRequests.Bounds(DEFAULT_MAX_STREAMS_PER_KEY,
                    SCOPE_FACTOR * DEFAULT_MAX_STREAMS_PER_KEY));
            held.put(HeldRequests.Kind.WAIT, new HeldRequests.Bounds(DEFAULT_MAX_WAITS_PER_KEY,
                    SCOPE_FACTOR * DEFAULT_MAX_WAITS_PER_KEY));
            held.put(HeldRequests.Kind.LEASE_POLL, new HeldRequests.Bounds(DEFAULT_MAX_LEASE_POLLS_PER_KEY,
                    SCOPE_FACTOR * DEFAULT_MAX_LEASE_POLLS_PER_KEY));
            this.ledger = Objects.requireNonNull(ledger, "ledger");
        }

        /** SHA-256 (hex) of the admin key; see {@code AdminKey}. Required. */
        public Builder adminKeyHash(String hash) {
            if (hash == null || !hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("adminKeyHash must be a hex SHA-256");
            }
            this.adminKeyHash = hash;
            return this;
        }

        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** The port; 0 picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
            }
            this.port = port;
            return this;
        }

        /** How often an idle stream sends a keep-alive comment (default 15 s). */
        public Builder keepAlive(Duration interval) {
            this.keepAlive = positive(interval, "keepAlive");
            return this;
        }

        /**
         * The metrics to expose; pass the same instance to the engine's
         * {@code RunLedger.Builder#listener} so run counters are counted. Default: a new one.
         */
        public Builder metrics(ServerMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Open SSE streams one key may hold (default 100) and one scope (default 400). */
        public Builder maxStreams(int perKey, int perScope) {
            held.put(HeldRequests.Kind.STREAM, bounds("maxStreams", perKey, perScope));
            return this;
        }

        /** Open run waits ({@code GET .../wait}) per key (default 100) and per scope (default 400). */
        public Builder maxWaits(int perKey, int perScope) {
            held.put(HeldRequests.Kind.WAIT, bounds("maxWaits", perKey, perScope));
            return this;
        }

        /** Waiting lease polls per key (default 50) and per scope (default 200). */
        public Builder maxLeasePolls(int perKey, int perScope) {
            held.put(HeldRequests.Kind.LEASE_POLL, bounds("maxLeasePolls", perKey, perScope));
            return this;
        }

        private static HeldRequests.Bounds bounds(String name, int perKey, int perScope) {
            if (perKey < 1 || perKey > 100_000 || perScope < perKey || perScope > 1_000_000) {
                throw new IllegalArgumentException(name + ": per key must be 1..100000 and per scope at least"
                        + " per key (at most 1000000)");
            }
            return new HeldRequests.Bounds(perKey, perScope);
        }

        /**
         * A token that may read {@code /metrics} besides the admin key (only its SHA-256 is
         * kept). Null for the admin key only.
         */
        public Builder metricsToken(String token) {
            if (token != null && token.isBlank()) {
                throw new IllegalArgumentException("metricsToken must not be blank");
            }
            this.metricsTokenHash = token == null ? null : ApiKeys.hash(token.strip());
            return this;
        }

        /** Serve {@code /metrics} without a key (default false: admin key or metrics token). */
        public Builder metricsPublic(boolean open) {
            this.metricsPublic = open;
            return this;
        }

        /** How long a graceful stop waits for requests in flight (default 30 s). */
        public Builder stopTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative");
            }
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * How long a request head may take to arrive complete: from the connection opening,
         * or from its first byte on a kept-alive connection (default 10 s). Slower clients,
         * or ones that send half a head, are disconnected.
         */
        public Builder requestHeadTimeout(Duration timeout) {
            this.requestHeadTimeout = positive(timeout, "requestHeadTimeout");
            return this;
        }

        /** How long a kept-alive connection may stay silent between requests (default 30 s). */
        public Builder connectionIdleTimeout(Duration timeout) {
            this.connectionIdleTimeout = positive(timeout, "connectionIdleTimeout");
            return this;
        }

        /** The most connections open at once; more wait to be accepted (default 4,096). */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
            this.maxConnections = max;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }

        public RunLedgerServer start() {
            if (adminKeyHash == null) {
                throw new IllegalStateException("adminKeyHash is required");
            }
            log.info("RunLedger server starting: host={}, port={}, keepAlive={}, stopTimeout={},"
                    + " requestHeadTimeout={}, connectionIdleTimeout={}, maxConnections={}, held bounds"
                    + " (per key, per scope)={}, metrics={}", host, port, keepAlive, stopTimeout, requestHeadTimeout,
                    connectionIdleTimeout, maxConnections, held,
                    metricsPublic ? "public" : metricsTokenHash != null ? "admin key or token" : "admin key");
            return new RunLedgerServer(this).begin();
        }
    }
}
