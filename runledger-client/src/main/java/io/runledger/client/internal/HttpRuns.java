package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.CancelResult;
import io.runledger.api.EventPage;
import io.runledger.api.KeyCancelResult;
import io.runledger.api.Page;
import io.runledger.api.RebuildResult;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunAccessToken;
import io.runledger.api.RunFilter;
import io.runledger.api.Timestamps;
import io.runledger.api.Runs;
import io.runledger.api.StepRecord;
import io.runledger.api.TriggerRequest;
import io.runledger.api.ValidationReport;
import io.runledger.client.EventStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** {@link Runs} over HTTP: the {@code runs} operations of the API. */
public final class HttpRuns implements Runs {
    /** The longest wait the server holds in one {@code GET .../wait}. */
    public static final Duration MAX_WAIT_PER_CALL = Duration.ofSeconds(300);

    private final Transport transport;
    private final Duration streamReconnectLimit;
    private final Streams streams;

    /** {@code streams} keeps the open feeds, so that closing the client closes them. */
    public HttpRuns(Transport transport, Duration streamReconnectLimit, Streams streams) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.streamReconnectLimit = Objects.requireNonNull(streamReconnectLimit, "streamReconnectLimit");
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    private static Map<String, String> idempotencyHeader(TriggerRequest request) {
        return request.idempotencyKey() == null ? null : Map.of("Idempotency-Key", request.idempotencyKey());
    }

    @Override
    public Receipt trigger(String scope, String service, TriggerRequest request) {
        Transport.Answer answer = transport.post(Paths.service(scope, service) + "/runs", Wire.triggerBody(request),
                null, null, idempotencyHeader(request));
        return Wire.receipt(answer.body(), answer.header("Idempotent-Replayed", "true"));
    }

    @Override
    public ValidationReport validate(String scope, String service, TriggerRequest request) {
        return Wire.validation(transport.post(Paths.service(scope, service) + "/runs:validate",
                Wire.triggerBody(request), null, null, idempotencyHeader(request)).body());
    }

    /** {@code POST .../runs:stream} without {@code onDisconnect}: closing the feed never cancels the run. */
    @Override
    public EventStream triggerAndFollow(String scope, String service, TriggerRequest request) {
        HttpRequest.Builder b = transport.request(transport.uri(Paths.service(scope, service) + "/runs:stream", null),
                        null)
                .setHeader("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Wire.triggerBody(request).toString()));
        Map<String, String> headers = idempotencyHeader(request);
        if (headers != null) {
            headers.forEach(b::header);
        }
        return streams.opened(EventStream.triggered(transport, b.build(), Paths.runs(scope), streamReconnectLimit));
    }

    @Override
    public Run get(String scope, String runId) {
        return Wire.run(transport.get(Paths.run(scope, runId), null, null, runId).body());
    }

    @Override
    public Page<Run> list(String scope, RunFilter filter) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("service", filter.service());
        q.put("status", filter.status() == null ? null : filter.status().wireName());
        q.put("concurrencyKey", filter.concurrencyKey());
        q.put("tag", filter.tag());
        q.put("parentRunId", filter.parentRunId());
        q.put("createdAfter", Timestamps.format(filter.createdAfter()));
        q.put("createdBefore", Timestamps.format(filter.createdBefore()));
        q.put("limit", filter.limit());
        q.put("cursor", filter.cursor());
        if (filter.health() != null) {
            q.put("health", filter.health().wireName());
            q.put("stuckAfterSeconds", filter.stuckAfterSeconds());
            q.put("silentForSeconds", filter.silentForSeconds());
        }
        return Wire.runPage(transport.get(Paths.scope(scope) + "/runs", q, null, null).body());
    }

    @Override
    public EventPage events(String scope, String runId, long after, int limit) {
        return Wire.eventPage(transport.get(Paths.run(scope, runId) + "/events",
                Map.of("after", after, "limit", limit), null, runId).body(), after);
    }

    /**
     * An SSE stream ({@code GET .../stream}) that resumes with {@code Last-Event-ID} after a
     * drop; it connects on the first read, so a missing run is reported by the first
     * {@link EventStream#next}.
     */
    @Override
    public EventStream follow(String scope, String runId, long after) {
        return streams.opened(EventStream.follow(transport, Paths.runs(scope), runId, after, streamReconnectLimit));
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
            Run run = Wire.run(transport.get(Paths.run(scope, runId) + "/wait", Map.of("timeoutSeconds", seconds),
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

    /** {@code cascade} is sent only when false: true is the server's default. */
    @Override
    public CancelResult cancel(String scope, String runId, String reason, boolean cascade) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        if (!cascade) {
            body.put("cascade", false);
        }
        Transport.Answer answer = transport.post(Paths.run(scope, runId) + "/cancel", body, null, runId, null);
        return new CancelResult(Wire.run(answer.body()), answer.status() == 200);
    }

    /** {@code POST .../services/{service}/runs:cancel}: 200/202 with the run, or 202 with the stop recorded. */
    @Override
    public KeyCancelResult cancelByKey(String scope, String service, String idempotencyKey, String reason) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        body.put("idempotencyKey", idempotencyKey);
        if (reason != null) {
            body.put("reason", reason);
        }
        Transport.Answer answer = transport.post(Paths.service(scope, service) + "/runs:cancel", body, null, null,
                null);
        return Wire.keyCancel(answer.body(), answer.status());
    }

    @Override
    public Receipt replay(String scope, String runId, JsonNode input, JsonNode metadata) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (input != null) {
            body.set("input", input);
        }
        if (metadata != null) {
            body.set("metadata", metadata);
        }
        Transport.Answer answer = transport.post(Paths.run(scope, runId) + "/replay", body, null, runId, null);
        return Wire.receipt(answer.body(), answer.header("Idempotent-Replayed", "true"));
    }

    @Override
    public Page<StepRecord> steps(String scope, String runId, long after, int limit) {
        return OrchestrationWire.stepPage(transport.get(Paths.run(scope, runId) + "/steps",
                Map.of("after", after, "limit", limit), null, runId).body());
    }

    @Override
    public RebuildResult rebuildProjection(String scope, String runId) {
        return Wire.rebuild(transport.post(Paths.run(scope, runId) + "/projection/rebuild", null, null, runId, null)
                .body());
    }

    /** {@code POST .../runs/{runId}/access-tokens}; the server ties the token to this client's key. */
    @Override
    public RunAccessToken issueAccessToken(String scope, String runId, Duration ttl) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (ttl != null) {
            body.put("ttlSeconds", ttl.toSeconds());
        }
        JsonNode answer = transport.post(Paths.run(scope, runId) + "/access-tokens", body, null, runId, null).body();
        return new RunAccessToken(Wire.text(answer, "token"), Wire.instant(answer, "expiresAt"));
    }
}
