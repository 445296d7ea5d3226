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

    public HttpProblem(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public HttpProblem(int status, String code, String detail, Map<String, Object> details) {
        super(detail);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
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
}
