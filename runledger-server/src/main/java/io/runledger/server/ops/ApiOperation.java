package io.runledger.server.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.http.Problems;
import io.runledger.server.http.ServerJson;
import io.runledger.server.wire.EventView;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One documented operation, built fluently: {@code ApiOperation.get(path, id, tag, summary)},
 * then its request ({@link #body}, {@link #param}), its answers ({@link #answer}) and the
 * refusals particular to it ({@link #problem}). The refusals every operation of its kind gives
 * (bad input, no key, unknown scope, a body too large) are added from its access and request.
 */
final class ApiOperation {
    /** Who may call it. */
    enum Access {
        /** No key (health, the document, a callback whose secret is the authority). */
        PUBLIC,
        /** A key of the path's scope, or the admin key. */
        SCOPE,
        /**
         * As {@link #SCOPE}, or a run access token of the path's run (by header or as
         * {@code ?access_token=}): the reads a browser's {@code EventSource} may make.
         */
        RUN_READ,
        /** The admin key only. */
        ADMIN,
        /** The admin key or the metrics token, unless the operator made metrics public. */
        METRICS
    }

    static final String JSON = "application/json";
    static final String SSE = "text/event-stream";
    static final String NDJSON = "application/x-ndjson";
    private static final Pattern PATH_PARAM = Pattern.compile("\\{(\\w+)}");
    /** Path parameters that are names, checked as such (else 400 {@code invalid_name}). */
    private static final List<String> NAMES = List.of("scope", "service", "webhookId", "scheduleId");
    /** The engine's rule for names ({@code InvalidNameException}). */
    private static final String NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";
    private static final Map<Integer, String> PROBLEMS = Map.of(
            400, "Bad input: invalid_json, unknown_field (naming the field), invalid_argument or invalid_name",
            401, "No valid key: unauthorized",
            403, "Only the admin key may do this: forbidden",
            404, "No such scope for this key (never 403, so scopes cannot be probed), or no such resource",
            409, "The request conflicts with the resource's state",
            413, "The body is larger than 1 MiB: payload_too_large",
            422, "The request is well-formed but cannot be processed",
            429, "Too many held requests (streams, waits, lease polls) for this key or scope: too_many_requests;"
                    + " Retry-After says when to try again",
            503, "The database is unreachable or not migrated");

    final String method;
    final String path;
    final String operationId;
    final String tag;
    final String summary;
    private String description;
    private Access access = Access.SCOPE;
    private List<Type> body;
    private boolean bodyRequired;
    private ObjectNode literalBody;
    private final List<ApiParam> params = new ArrayList<>();
    private final Map<Integer, Answer> answers = new TreeMap<>();
    private final Map<Integer, String> problems = new TreeMap<>();

    /** One success answer: its media types (schema: a record class or a literal) and headers. */
    private static final class Answer {
        final String description;
        final Map<String, List<Object>> content = new LinkedHashMap<>();
        final List<String> headers = new ArrayList<>();

        Answer(String description) {
            this.description = description;
        }
    }

    private ApiOperation(String method, String path, String operationId, String tag, String summary) {
        this.method = method;
        this.path = path;
        this.operationId = operationId;
        this.tag = tag;
        this.summary = summary;
    }

    static ApiOperation get(String path, String operationId, String tag, String summary) {
        return new ApiOperation("get", path, operationId, tag, summary);
    }

    static ApiOperation post(String path, String operationId, String tag, String summary) {
        return new ApiOperation("post", path, operationId, tag, summary);
    }

    static ApiOperation put(String path, String operationId, String tag, String summary) {
        return new ApiOperation("put", path, operationId, tag, summary);
    }

    static ApiOperation delete(String path, String operationId, String tag, String summary) {
        return new ApiOperation("delete", path, operationId, tag, summary);
    }

    ApiOperation description(String text) {
        this.description = text;
        return this;
    }

    ApiOperation access(Access who) {
        this.access = who;
        return this;
    }

    /**
     * A JSON object body of these records' fields (one record, or the parts the server takes it
     * apart into); {@code required} false when it may be empty.
     */
    ApiOperation body(boolean required, Type... records) {
        this.body = List.of(records);
        this.bodyRequired = required;
        return this;
    }

    /** A body of any JSON value (an empty body is null). */
    ApiOperation anyBody(String text) {
        this.literalBody = ServerJson.MAPPER.createObjectNode().put("description", text);
        return this;
    }

    ApiOperation param(ApiParam p) {
        params.add(p);
        return this;
    }

    ApiOperation params(List<ApiParam> ps) {
        params.addAll(ps);
        return this;
    }

    /** A JSON answer of this record (null: no content), with the named response headers. */
    ApiOperation answer(int status, String text, Type record, String... headers) {
        Answer a = answers.computeIfAbsent(status, s -> new Answer(text));
        if (record != null) {
            a.content.computeIfAbsent(JSON, m -> new ArrayList<>()).add(record);
        }
        a.headers.addAll(List.of(headers));
        return this;
    }

    /** A non-JSON answer (or another media type of an existing one). */
    ApiOperation answer(int status, String text, String mediaType, ObjectNode schema, String... headers) {
        Answer a = answers.computeIfAbsent(status, s -> new Answer(text));
        a.content.computeIfAbsent(mediaType, m -> new ArrayList<>()).add(schema);
        a.headers.addAll(List.of(headers));
        return this;
    }

    /** A refusal particular to this operation, with what it means here. */
    ApiOperation problem(int status, String text) {
        problems.put(status, text);
        return this;
    }

    ObjectNode toJson(ApiSchemas schemas) {
        ObjectNode o = ServerJson.MAPPER.createObjectNode();
        o.putArray("tags").add(tag);
        o.put("summary", summary);
        if (description != null) {
            o.put("description", description);
        }
        o.put("operationId", operationId);
        ArrayNode security = o.putArray("security");
        if (access != Access.PUBLIC) {
            security.addObject().putArray(ApiDocument.BEARER);
        }
        if (access == Access.RUN_READ) {
            security.addObject().putArray(ApiDocument.RUN_ACCESS_TOKEN);
        }
        ArrayNode ps = o.putArray("parameters");
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            ObjectNode schema = ps.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
            if (NAMES.contains(m.group(1))) {
                schema.put("pattern", NAME_PATTERN);
            }
        }
        params.forEach(p -> ps.add(p.toJson()));
        if (ps.isEmpty()) {
            o.remove("parameters");
        }
        if (body != null || literalBody != null) {
            ObjectNode rb = o.putObject("requestBody").put("required", body != null && bodyRequired);
            rb.putObject("content").putObject(JSON).set("schema", body != null ? schemas.body(body) : literalBody);
        }
        ObjectNode responses = o.putObject("responses");
        answers.forEach((status, a) -> responses.set(String.valueOf(status), answer(a, schemas)));
        refusals().forEach((status, text) -> responses.set(String.valueOf(status), problemAnswer(status, text)));
        responses.putObject("default").put("description", "An unexpected failure (internal_error)")
                .putObject("content").putObject(Problems.CONTENT_TYPE).putObject("schema")
                .put("$ref", ApiDocument.PROBLEM_REF);
        return o;
    }

    /** The particular refusals over the ones every operation of its kind gives. */
    private Map<Integer, String> refusals() {
        Map<Integer, String> all = new TreeMap<>();
        switch (access) {
            case SCOPE -> {
                all.put(400, PROBLEMS.get(400));
                all.put(401, PROBLEMS.get(401));
                all.put(403, "A run access token may only read its run: forbidden");
                all.put(404, PROBLEMS.get(404));
            }
            case RUN_READ -> {
                all.put(400, PROBLEMS.get(400));
                all.put(401, PROBLEMS.get(401) + " (or an expired run access token)");
                all.put(404, PROBLEMS.get(404) + "; a run access token of another run gets run_not_found");
            }
            case ADMIN -> {
                all.put(400, PROBLEMS.get(400));
                all.put(401, PROBLEMS.get(401));
                all.put(403, PROBLEMS.get(403));
            }
            case METRICS -> all.put(401, PROBLEMS.get(401));
            case PUBLIC -> {
            }
        }
        if (body != null || literalBody != null || !params.isEmpty()) {
            all.put(400, PROBLEMS.get(400));
        }
        if (body != null || literalBody != null) {
            all.put(413, PROBLEMS.get(413));
        }
        all.putAll(problems);
        return all;
    }

    private static ObjectNode answer(Answer a, ApiSchemas schemas) {
        ObjectNode r = ServerJson.MAPPER.createObjectNode().put("description", a.description);
        if (!a.headers.isEmpty()) {
            ObjectNode headers = r.putObject("headers");
            a.headers.forEach(h -> headers.putObject(h).put("$ref", ApiDocument.HEADERS_PATH + h));
        }
        if (!a.content.isEmpty()) {
            ObjectNode content = r.putObject("content");
            a.content.forEach((media, shapes) -> {
                ObjectNode type = content.putObject(media);
                List<ObjectNode> each = shapes.stream().map(shape -> shape instanceof ObjectNode literal ? literal
                        : schemas.answer((Type) shape)).toList();
                if (each.size() == 1) {
                    type.set("schema", each.getFirst());
                } else {
                    type.putObject("schema").putArray("oneOf").addAll(each);
                }
                if (media.equals(SSE) || media.equals(NDJSON)) {
                    // OpenAPI 3.1 has no schema for the items of a stream; 3.2 calls it itemSchema
                    type.set("x-item-schema", schemas.answer(EventView.class));
                }
            });
        }
        return r;
    }

    private static ObjectNode problemAnswer(int status, String text) {
        ObjectNode r = ServerJson.MAPPER.createObjectNode().put("description", text);
        if (status == 429) {
            r.putObject("headers").putObject(ApiDocument.RETRY_AFTER).put("$ref",
                    ApiDocument.HEADERS_PATH + ApiDocument.RETRY_AFTER);
        }
        r.putObject("content").putObject(Problems.CONTENT_TYPE).putObject("schema")
                .put("$ref", ApiDocument.PROBLEM_REF);
        return r;
    }

    static String defaultProblem(int status) {
        return PROBLEMS.get(status);
    }
}
