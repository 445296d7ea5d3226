package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.CancelResult;
import io.runledger.api.EventDraft;
import io.runledger.api.EventPage;
import io.runledger.api.Heartbeat;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Page;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.Runs;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WorkerInfo;
import io.runledger.api.Workers;
import io.runledger.client.internal.Transport;
import io.runledger.client.internal.Wire;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The Java client of a RunLedger server. It implements the same {@link Runs} and
 * {@link Workers} interfaces as the embedded engine, so code (and the {@link Worker} SDK)
 * runs unchanged against either. Errors arrive as the API's typed exceptions, carrying
 * the problem's {@code code}.
 */
public final class RunLedgerClient implements Runs, Workers {
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:7070");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The longest wait the server holds in one {@code GET .../wait}. */
    public static final Duration MAX_WAIT_PER_CALL = Duration.ofSeconds(300);

    private final Transport transport;
    private final Duration streamReconnectLimit;

    private RunLedgerClient(Builder b) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.transport = new Transport(http, b.url, b.key, b.timeout, b.clock);
        this.streamReconnectLimit = b.streamReconnectLimit;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The current time on the server's clock as far as this client can tell (from the
     * {@code Date} headers of its answers): the lease expiry times the server hands out are
     * on that clock, so the {@link Worker} paces its heartbeats by it.
     */
    public java.time.Instant serverNow() {
        return transport.clock().instant().plus(transport.serverClockOffset());
    }

    private static String scopePath(String scope) {
        return "/v1/scopes/" + Transport.enc(scope);
    }

    private static String runPath(String scope, String runId) {
        return scopePath(scope) + "/runs/" + Transport.enc(runId);
    }

    // ---- admin

    /** Creates the scope (admin key). */
    public void scopePut(String scope) {
        transport.put(scopePath(scope), null);
    }

    /** Creates a key for the scope (admin key); the key is returned once. */
    public String scopeKeyCreate(String scope) {
        return transport.post(scopePath(scope) + "/keys", null, null, null, null).body().path("key").asText();
    }

    /** Creates or updates a service with its defaults. */
    public void servicePut(String scope, String service, Integer maxAttempts, Integer leaseTtlSeconds,
                           JsonNode inputSchema, Integer concurrencyLimit, String description) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (maxAttempts != null) {
            body.put("maxAttempts", maxAttempts);
        }
        if (leaseTtlSeconds != null) {
            body.put("leaseTtlSeconds", leaseTtlSeconds);
        }
        if (inputSchema != null) {
            body.set("inputSchema", inputSchema);
        }
        if (concurrencyLimit != null) {
            body.put("concurrencyLimit", concurrencyLimit);
        }
        if (description != null) {
            body.put("description", description);
        }
        transport.put(scopePath(scope) + "/services/" + Transport.enc(service), body);
    }

    // ---- runs

    @Override
    public Receipt trigger(String scope, String service, TriggerRequest request) {
        Map<String, String> headers = request.idempotencyKey() == null
                ? null : Map.of("Idempotency-Key", request.idempotencyKey());
        Transport.Answer answer = transport.post(scopePath(scope) + "/services/" + Transport.enc(service) + "/runs",
                Wire.triggerBody(request), null, null, headers);
        return Wire.receipt(answer.body(), answer.header("Idempotent-Replayed", "true"));
    }

    @Override
    public Run get(String scope, String runId) {
        return Wire.run(transport.get(runPath(scope, runId), null, null, runId).body());
    }

    @Override
    public Page<Run> list(String scope, RunFilter filter) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("service", filter.service());
        q.put("status", filter.status() == null ? null : filter.status().wireName());
        q.put("concurrencyKey", filter.concurrencyKey());
        q.put("tag", filter.tag());
        q.put("parentRunId", filter.parentRunId());
        q.put("limit", filter.limit());
        q.put("cursor", filter.cursor());
        JsonNode body = transport.get(scopePath(scope) + "/runs", q, null, null).body();
        List<Run> items = new ArrayList<>();
        body.path("items").forEach(n -> items.add(Wire.run(n)));
        JsonNode next = body.get("nextCursor");
        return new Page<>(items, next == null || next.isNull() ? null : next.asText());
    }

    /** Every run matching {@code filter}, newest first, fetching pages as iteration goes. */
    public Iterable<Run> listAll(String scope, RunFilter filter) {
        return () -> new Iterator<>() {
            private Iterator<Run> page = List.<Run>of().iterator();
            private String cursor = null;
            private boolean last = false;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !last) {
                    Page<Run> p = list(scope, filter.withCursor(cursor));
                    page = p.items().iterator();
                    cursor = p.nextCursor();
                    last = cursor == null;
                }
                return page.hasNext();
            }

            @Override
            public Run next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }

    @Override
    public EventPage events(String scope, String runId, long after, int limit) {
        JsonNode body = transport.get(runPath(scope, runId) + "/events", Map.of("after", after, "limit", limit),
                null, runId).body();
        List<RunEvent> items = new ArrayList<>();
        body.path("items").forEach(n -> items.add(Wire.event(n)));
        return new EventPage(items, body.path("nextAfter").asLong(after));
    }

    /**
     * Waits up to {@code timeout} for the run to settle and returns it, settled or not. The
     * server holds one wait for at most {@link #MAX_WAIT_PER_CALL}; longer timeouts are
     * waited in several calls, and a fraction of a second counts as a whole second.
     */
    @Override
    public Run await(String scope, String runId, Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long leftNanos = Math.max(0, deadline - System.nanoTime());
            long seconds = Math.min(MAX_WAIT_PER_CALL.toSeconds(), (leftNanos + 999_999_999L) / 1_000_000_000L);
            long started = System.nanoTime();
            Run run = Wire.run(transport.get(runPath(scope, runId) + "/wait", Map.of("timeoutSeconds", seconds),
                    Duration.ofSeconds(seconds), runId).body());
            boolean heldFullSlice = System.nanoTime() - started >= (seconds - 1) * 1_000_000_000L;
            // Another call only when this one was cut to the server's maximum and really
            // waited it out (a draining server answers at once: that is an answer too).
            if (run.status().isTerminal() || deadline - System.nanoTime() <= 0
                    || seconds < MAX_WAIT_PER_CALL.toSeconds() || !heldFullSlice) {
                return run;
            }
        }
    }

    @Override
    public CancelResult cancel(String scope, String runId, String reason) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        Transport.Answer answer = transport.post(runPath(scope, runId) + "/cancel", body, null, runId, null);
        return new CancelResult(Wire.run(answer.body()), answer.status() == 200);
    }

    /**
     * Follows a run's events from the start, reconnecting by itself with the last seen seq
     * after a dropped connection or a server restart; ends after the terminal event.
     */
    public EventStream stream(String scope, String runId) {
        return stream(scope, runId, 0);
    }

    /** As {@link #stream(String, String)}, starting after {@code afterSeq}. */
    public EventStream stream(String scope, String runId, long afterSeq) {
        return new EventStream(transport, runPath(scope, runId) + "/stream", runId, afterSeq, streamReconnectLimit);
    }

    // ---- workers

    @Override
    public List<Lease> lease(String scope, LeaseRequest request) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        body.put("workerId", request.workerId());
        ArrayNode services = body.putArray("services");
        request.services().forEach(services::add);
        body.put("max", request.max());
        body.put("waitSeconds", request.waitFor().toSeconds());
        if (request.version() != null) {
            body.put("version", request.version());
        }
        if (request.capabilities() != null) {
            body.set("capabilities", request.capabilities());
        }
        JsonNode answer = transport.post(scopePath(scope) + "/workers/lease", body, request.waitFor(), null, null).body();
        List<Lease> leases = new ArrayList<>();
        answer.path("leases").forEach(n -> leases.add(Wire.lease(n)));
        return leases;
    }

    @Override
    public Heartbeat heartbeat(String scope, String runId, String leaseToken) {
        ObjectNode body = Wire.MAPPER.createObjectNode().put("leaseToken", leaseToken);
        return Wire.heartbeat(transport.post(runPath(scope, runId) + "/heartbeat", body, null, runId, null).body());
    }

    @Override
    public List<Long> append(String scope, String runId, String leaseToken, List<EventDraft> events) {
        ObjectNode body = Wire.MAPPER.createObjectNode().put("leaseToken", leaseToken);
        ArrayNode array = body.putArray("events");
        for (EventDraft e : events) {
            ObjectNode n = array.addObject().put("type", e.type());
            n.set("data", e.data() == null ? Wire.MAPPER.createObjectNode() : e.data());
        }
        JsonNode answer = transport.post(runPath(scope, runId) + "/events", body, null, runId, null).body();
        List<Long> seqs = new ArrayList<>();
        answer.path("seqs").forEach(n -> seqs.add(n.asLong()));
        return seqs;
    }

    @Override
    public Run complete(String scope, String runId, String leaseToken, JsonNode output) {
        ObjectNode body = Wire.MAPPER.createObjectNode().put("leaseToken", leaseToken);
        body.set("output", output == null ? Wire.MAPPER.nullNode() : output);
        return Wire.run(transport.post(runPath(scope, runId) + "/complete", body, null, runId, null).body());
    }

    @Override
    public Run fail(String scope, String runId, String leaseToken, RunError error, boolean retryable) {
        ObjectNode body = Wire.MAPPER.createObjectNode().put("leaseToken", leaseToken);
        body.set("error", Wire.error(error));
        body.put("retryable", retryable);
        return Wire.run(transport.post(runPath(scope, runId) + "/fail", body, null, runId, null).body());
    }

    @Override
    public List<WorkerInfo> list(String scope) {
        JsonNode body = transport.get(scopePath(scope) + "/workers", null, null, null).body();
        List<WorkerInfo> workers = new ArrayList<>();
        JsonNode items = body.has("items") ? body.get("items") : body.path("workers");
        items.forEach(n -> workers.add(Wire.worker(n)));
        return workers;
    }

    @Override
    public void messageAck(String scope, String runId, String messageId, String leaseToken) {
        ObjectNode body = Wire.MAPPER.createObjectNode().put("leaseToken", leaseToken);
        transport.post(runPath(scope, runId) + "/messages/" + Transport.enc(messageId) + "/ack", body, null, runId,
                null);
    }

    /** Configuration of a {@link RunLedgerClient}. */
    public static final class Builder {
        private URI url = DEFAULT_URL;
        private String key;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration streamReconnectLimit = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** This machine's clock (default: the system clock); tests use a skewed one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder url(String url) {
            return url(URI.create(Objects.requireNonNull(url, "url")));
        }

        public Builder url(URI url) {
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("url must be http or https: " + url);
            }
            this.url = url;
            return this;
        }

        /** The bearer key: the admin key or a scope key. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /** Per-request timeout (long-polls add their own wait on top). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
            return this;
        }

        /** How long a stream keeps trying to reconnect before it gives up (default 5 min). */
        public Builder streamReconnectLimit(Duration limit) {
            this.streamReconnectLimit = Objects.requireNonNull(limit, "streamReconnectLimit");
            return this;
        }

        public RunLedgerClient build() {
            return new RunLedgerClient(this);
        }
    }
}
