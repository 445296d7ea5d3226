package io.runledger.client;

import io.runledger.api.Admin;
import io.runledger.api.Batches;
import io.runledger.api.Ledger;
import io.runledger.api.Runs;
import io.runledger.api.Signals;
import io.runledger.api.Waitpoints;
import io.runledger.api.Schedules;
import io.runledger.api.BulkActions;
import io.runledger.api.Webhooks;
import io.runledger.api.Workers;
import io.runledger.client.internal.HttpAdmin;
import io.runledger.client.internal.HttpBatches;
import io.runledger.client.internal.HttpRuns;
import io.runledger.client.internal.HttpSignals;
import io.runledger.client.internal.HttpWaitpoints;
import io.runledger.client.internal.HttpSchedules;
import io.runledger.client.internal.HttpBulkActions;
import io.runledger.client.internal.HttpWebhooks;
import io.runledger.client.internal.HttpWorkers;
import io.runledger.client.internal.Streams;
import io.runledger.client.internal.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The Java client of a RunLedger server: the same {@link Ledger} as the embedded engine, so
 * an application moves between in-process and remote by changing the line that builds it.
 * Errors arrive as the API's typed exceptions, carrying the problem's {@code code}.
 *
 * <pre>{@code
 * Ledger ledger = RunLedgerClient.builder().url("https://runledger.example").key(key).build();
 * Receipt receipt = ledger.runs().trigger("demo", "summarize", TriggerRequest.of(input));
 * }</pre>
 *
 * {@code runs().follow} and {@code runs().triggerAndFollow} return an {@link EventStream}, a
 * resumable SSE stream. The worker SDK is {@link Worker}.
 */
public final class RunLedgerClient implements Ledger {
    private static final System.Logger log = System.getLogger(RunLedgerClient.class.getName());
    /** The server a client talks to unless told otherwise: a local {@code runledger serve}. */
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:7070");
    /** How long a request may take unless told otherwise (long-polls add their wait). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** How long connecting may take unless told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long an event stream keeps reconnecting unless told otherwise. */
    public static final Duration DEFAULT_STREAM_RECONNECT_LIMIT = Duration.ofMinutes(5);

    private final URI url;
    private final String key;
    private final HttpClient http;
    private final Transport transport;
    private final Streams streams = new Streams();
    private final HttpRuns runs;
    private final HttpWorkers workers;
    private final HttpSignals signals;
    private final HttpBatches batches;
    private final HttpWebhooks webhooks;
    private final HttpWaitpoints waitpoints;
    private final HttpSchedules schedules;
    private final HttpBulkActions bulkActions;
    private final HttpAdmin admin;

    private RunLedgerClient(Builder b) {
        this.url = b.url;
        this.key = b.key;
        this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.transport = new Transport(http, b.url, b.key, b.timeout, b.clock);
        this.runs = new HttpRuns(transport, b.streamReconnectLimit, streams);
        this.workers = new HttpWorkers(transport);
        this.signals = new HttpSignals(transport);
        this.batches = new HttpBatches(transport);
        this.webhooks = new HttpWebhooks(transport);
        this.waitpoints = new HttpWaitpoints(transport);
        this.schedules = new HttpSchedules(transport);
        this.bulkActions = new HttpBulkActions(transport);
        this.admin = new HttpAdmin(transport);
    }

    /** {@return a builder with the defaults: {@link #DEFAULT_URL}, no key, the default timeouts} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Runs runs() {
        return runs;
    }

    @Override
    public Workers workers() {
        return workers;
    }

    @Override
    public Signals signals() {
        return signals;
    }

    @Override
    public Batches batches() {
        return batches;
    }

    @Override
    public Webhooks webhooks() {
        return webhooks;
    }

    @Override
    public Waitpoints waitpoints() {
        return waitpoints;
    }

    @Override
    public Schedules schedules() {
        return schedules;
    }

    @Override
    public BulkActions bulkActions() {
        return bulkActions;
    }

    @Override
    public Admin admin() {
        return admin;
    }

    /** The server's base URL, for a command worker to pass on to its command. */
    URI url() {
        return url;
    }

    /** The bearer key (null if none), for a command worker to pass on to its command; never logged. */
    String key() {
        return key;
    }

    /**
     * The current time on the server's clock as far as this client can tell (from the
     * {@code Date} headers of its answers): the lease expiry times the server hands out are
     * on that clock, so the {@link Worker} paces its heartbeats by it.
     *
     * @return the server's time, estimated
     */
    public Instant serverNow() {
        return transport.clock().instant().plus(transport.serverClockOffset());
    }

    /**
     * Closes the event streams still open and lets the HTTP client go once the requests under
     * way (e.g. a worker's lease poll) have returned. The server's runs are not affected.
     */
    @Override
    public void close() {
        streams.closeAll();
        http.shutdown();
    }

    /** Configuration of a {@link RunLedgerClient}. */
    public static final class Builder {
        private URI url = DEFAULT_URL;
        private String key;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration streamReconnectLimit = DEFAULT_STREAM_RECONNECT_LIMIT;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * This machine's clock (default: the system clock); tests use a skewed one.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The server's base URL, e.g. {@code https://runledger.example}.
         *
         * @param url an http or https URL
         * @return this builder
         * @throws IllegalArgumentException if it is neither http nor https
         */
        public Builder url(String url) {
            return url(URI.create(Objects.requireNonNull(url, "url")));
        }

        /**
         * The server's base URL.
         *
         * @param url an http or https URL
         * @return this builder
         * @throws IllegalArgumentException if it is neither http nor https
         */
        public Builder url(URI url) {
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("url must be http or https: " + url);
            }
            this.url = url;
            return this;
        }

        /**
         * The bearer key: the admin key or a scope key.
         *
         * @param key the key, or null to send none
         * @return this builder
         */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /**
         * Per-request timeout (long-polls add their own wait on top).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long connecting may take (default 5 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /**
         * How long a stream keeps trying to reconnect before it gives up (default 5 min).
         *
         * @param limit the limit
         * @return this builder
         */
        public Builder streamReconnectLimit(Duration limit) {
            this.streamReconnectLimit = Objects.requireNonNull(limit, "streamReconnectLimit");
            return this;
        }

        /** {@return a client with this configuration; close it when done} */
        public RunLedgerClient build() {
            log.log(System.Logger.Level.DEBUG, "RunLedger client: url={0}, timeout={1}, connectTimeout={2},"
                    + " streamReconnectLimit={3}, key={4}", url, timeout, connectTimeout, streamReconnectLimit,
                    key == null ? "none" : "set");
            return new RunLedgerClient(this);
        }
    }
}
