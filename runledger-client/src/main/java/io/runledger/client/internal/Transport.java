package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunLedgerException;
import io.runledger.api.UnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** JSON over HTTP with bearer auth; problem documents become typed exceptions. */
public final class Transport {
    private final HttpClient http;
    private final URI baseUrl;
    private final String key;
    private final Duration requestTimeout;

    public Transport(HttpClient http, URI baseUrl, String key, Duration requestTimeout) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.key = key;
        this.requestTimeout = requestTimeout;
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

    private Duration timeout(Duration extraWait) {
        return extraWait == null ? requestTimeout : requestTimeout.plus(extraWait);
    }

    private Answer send(HttpRequest request, String runId) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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

    static RunLedgerException problem(int status, JsonNode body, String runId) {
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

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
