package io.runledger.server.http;

import java.util.Map;

/**
 * A failure the HTTP layer itself detects (a body that is not JSON, an unknown field, a
 * missing key). Engine failures stay {@link io.runledger.api.RunLedgerException}s; both end
 * up as one problem document in {@link Problems}.
 */
public final class HttpProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;
    private final Map<String, String> headers;

    public HttpProblem(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public HttpProblem(int status, String code, String detail, Map<String, Object> details) {
        this(status, code, detail, details, Map.of());
    }

    private HttpProblem(int status, String code, String detail, Map<String, Object> details,
                        Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public static HttpProblem invalidJson(String detail) {
        return new HttpProblem(400, "invalid_json", detail);
    }

    public static HttpProblem unknownField(String field) {
        return new HttpProblem(400, "unknown_field", "field '" + field + "' is not defined for this endpoint",
                Map.of("field", field));
    }

    public static HttpProblem unauthorized(String detail) {
        return new HttpProblem(401, "unauthorized", detail);
    }

    /** A bound on held requests was reached; {@code Retry-After} says when to try again. */
    public static HttpProblem tooManyRequests(String detail, long retryAfterSeconds) {
        return new HttpProblem(429, "too_many_requests", detail, Map.of("retryAfterSeconds", retryAfterSeconds),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public static HttpProblem payloadTooLarge(long limit) {
        return new HttpProblem(413, "payload_too_large", "the request body is larger than " + limit + " bytes");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Response headers that belong to the problem (e.g. {@code Retry-After}). */
    public Map<String, String> headers() {
        return headers;
    }
}
