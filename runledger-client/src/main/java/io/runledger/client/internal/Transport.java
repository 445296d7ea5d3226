package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunLedgerException;
import io.runledger.api.UnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.StringJoiner;

/** JSON over HTTP with bearer auth; problem documents become typed exceptions. */
public final class Transport {
    private final HttpClient http;
    private final URI baseUrl;
    private final String key;
    private final Duration requestTimeout;
    private final Clock clock;
    private volatile Duration serverClockOffset = Duration.ZERO;

    /** Below this, a difference between the clocks is within the Date header's 1 s resolution. */
    static final Duration CLOCK_OFFSET_NOISE = Duration.ofSeconds(2);

    public Transport(HttpClient http, URI baseUrl, String key, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.key = key;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /**
     * How far the server's clock is ahead of ours (negative: behind), from the {@code Date}
     * header of the latest answer; zero when within {@link #CLOCK_OFFSET_NOISE}.
     */
    public Duration serverClockOffset() {
        return serverClockOffset;
    }

    public Clock clock() {
        return clock;
    }

    /** An answer: HTTP status, headers and the parsed JSON body. */
    public record Answer(int status, HttpResponse<String> raw, JsonNode body) {
        public boolean header(String name, String value) {
            return raw.headers().firstValue(name).map(value::equalsIgnoreCase).orElse(false);
        }
    }

    public URI uri(String path, Map<String, ?> query) {
        StringJoiner q = new StringJoiner("&");
        if (query != null) {
            query.forEach((k, v) -> {
                if (v != null) {
                    q.add(enc(k) + "=" + enc(String.valueOf(v)));
                }
            });
        }
        String base = baseUrl.toString().replaceAll("/+$", "");
        return URI.create(base + path + (q.length() == 0 ? "" : "?" + q));
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout == null ? requestTimeout : timeout)
                .header("Accept", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    public Answer get(String path, Map<String, ?> query, Duration extraWait, String runId) {
        return send(request(uri(path, query), timeout(extraWait)).GET().build(), runId);
    }

    public Answer post(String path, JsonNode body, Duration extraWait, String runId, Map<String, String> headers) {
        HttpRequest.Builder b = request(uri(path, null), timeout(extraWait))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body.toString()));
        if (headers != null) {
            headers.forEach(b::header);
        }
        return send(b.build(), runId);
    }

    public Answer put(String path, JsonNode body) {
        return send(request(uri(path, null), null)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body.toString())).build(), null);
    }

    public Answer delete(String path) {
        return send(request(uri(path, null), null).DELETE().build(), null);
    }

    private Duration timeout(Duration extraWait) {
        return extraWait == null ? requestTimeout : requestTimeout.plus(extraWait);
    }

    private Answer send(HttpRequest request, String runId) {
        HttpResponse<String> response;
        Instant sent = clock.instant();
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            observeServerClock(response, sent, clock.instant());
        } catch (IOException e) {
            throw new UnavailableException("cannot reach RunLedger at " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while calling " + request.uri(), e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), body, runId);
        }
        return new Answer(response.statusCode(), response, body);
    }

    private void observeServerClock(HttpResponse<?> response, Instant sent, Instant received) {
        String date = response.headers().firstValue("Date").orElse(null);
        if (date == null) {
            return;
        }
        try {
            // The header is truncated to the second: its middle is the best guess of the server's now.
            Instant server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().plusMillis(500);
            Instant local = sent.plus(Duration.between(sent, received).dividedBy(2));
            Duration offset = Duration.between(local, server);
            serverClockOffset = offset.abs().compareTo(CLOCK_OFFSET_NOISE) < 0 ? Duration.ZERO : offset;
        } catch (DateTimeParseException e) {
            // a proxy's odd header: keep the last estimate
        }
    }

    public static RunLedgerException problem(int status, JsonNode body, String runId) {
        if (body == null || !body.isObject()) {
            body = Wire.MAPPER.createObjectNode().put("code", status >= 500 ? "unavailable" : "http_" + status)
                    .put("detail", "HTTP " + status);
        }
        return Problems.toException(status, body, runId);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return Wire.MAPPER.nullNode();
        }
        try {
            return Wire.MAPPER.readTree(text);
        } catch (IOException e) {
            return Wire.MAPPER.nullNode();
        }
    }

    public HttpClient http() {
        return http;
    }
}
