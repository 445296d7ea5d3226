package io.runledger.server.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.http.Paths;
import io.runledger.server.http.ServerJson;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 description of the API, served at {@code /openapi.json}. It is written
 * as its own table, not derived from the router, so that a test comparing it with the
 * registered routes catches a route that was added without being documented.
 */
public final class ApiDocument {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{(\\w+)}");
    private static final String TRIGGER_FIELDS = "input:any,idempotencyKey:string,concurrencyKey:string,"
            + "onConflict:string,correlationId:string,parentRunId:string,tags:array,metadata:object,"
            + "runAt:string,delaySeconds:integer,ttlSeconds:integer,maxAttempts:integer,retry:#RetryPolicy,"
            + "priority:integer";
    /** A body of any JSON value (a callback's data), not an object of named fields. */
    private static final String ANY_BODY = "*";

    /** One documented operation; {@code body} lists {@code name:type} fields, null for none. */
    record Operation(String method, String path, String tag, String summary, int status, String body,
                     String query, boolean auth) {
    }

    static final List<Operation> OPERATIONS = List.of(
            new Operation("put", Paths.SCOPE, "admin", "Create a scope (admin key)", 201, "", null, true),
            new Operation("post", Paths.SCOPE_KEYS, "admin", "Create a scope key, shown once (admin key)", 201,
                    "name:string", null, true),
            new Operation("get", Paths.SCOPE_KEYS, "admin", "List a scope's keys, never the keys (admin key)", 200,
                    null, null, true),
            new Operation("delete", Paths.SCOPE_KEY, "admin", "Revoke a scope key at once (admin key)", 204, null,
                    null, true),
            new Operation("put", Paths.SERVICE, "admin", "Create or update a service", 200,
                    "maxAttempts:integer,leaseTtlSeconds:integer,inputSchema:object,concurrencyLimit:integer,"
                            + "description:string,retry:#RetryPolicy,retentionDays:integer", null, true),
            new Operation("get", Paths.SERVICES, "admin", "List services", 200, null, null, true),
            new Operation("get", Paths.SERVICE, "admin", "Get a service", 200, null, null, true),
            new Operation("post", Paths.SERVICE_PAUSE, "admin",
                    "Pause a service: it still accepts triggers, leases skip it", 200, "", null, true),
            new Operation("post", Paths.SERVICE_RESUME, "admin", "Resume a paused service", 200, "", null, true),
            new Operation("get", Paths.QUEUES, "admin",
                    "Each service's queue: queued runs (depth) and the oldest one's age in seconds", 200, null, null,
                    true),
            new Operation("post", Paths.TRIGGER, "runs", "Trigger a run (202 receipt; 200 on idempotent replay)", 202,
                    TRIGGER_FIELDS, null, true),
            new Operation("post", Paths.TRIGGER_STREAM, "runs", "Trigger a run and stream its events (SSE)", 200,
                    TRIGGER_FIELDS + ",onDisconnect:string", null, true),
            new Operation("get", Paths.RUNS, "runs", "List runs, newest first", 200, null,
                    "service,status,concurrencyKey,tag,parentRunId,health,stuckAfterSeconds,silentForSeconds,"
                            + "createdAfter,createdBefore,limit,cursor",
                    true),
            new Operation("get", Paths.RUN, "runs", "Get a run", 200, null, null, true),
            new Operation("get", Paths.RUN_WAIT, "runs", "Wait until the run is terminal", 200, null,
                    "timeoutSeconds", true),
            new Operation("get", Paths.RUN_EVENTS, "runs", "Page through a run's events", 200, null, "after,limit",
                    true),
            new Operation("get", Paths.RUN_STREAM, "runs", "Stream a run's events (SSE, resumable)", 200, null,
                    "after", true),
            new Operation("post", Paths.RUN_ACCESS_TOKENS, "runs",
                    "Issue a token that may only read this run (get, events, wait, stream; also as ?access_token=)",
                    201, "ttlSeconds:integer", null, true),
            new Operation("post", Paths.RUN_CANCEL, "runs",
                    "Cancel a run and, unless cascade is false, its descendants (200 settled, 202 stop requested)",
                    200, "reason:string,cascade:boolean", null, true),
            new Operation("post", Paths.TRIGGER_CANCEL, "runs",
                    "Stop by idempotency key: cancel the key's run (200 settled, 202 stop requested), or record "
                            + "the stop so a later trigger with the key registers its run cancelled (202 stop_recorded)",
                    202, "idempotencyKey:string,reason:string", null, true),
            new Operation("post", Paths.RUN_REPLAY, "runs",
                    "Replay a run: a new run of its service with its input (or the given one), naming it in replayOf",
                    202, "input:any,metadata:object", null, true),
            new Operation("get", Paths.RUN_STEPS, "runs", "Page through a run's recorded steps", 200, null,
                    "after,limit", true),
            new Operation("post", Paths.RUN_REBUILD, "runs", "Rebuild a run's projection from its ledger", 200, "",
                    null, true),
            new Operation("post", Paths.WORKERS_LEASE, "workers", "Lease up to 1,000 runs (long-poll)", 200,
                    "workerId:string,services:array,max:integer,waitSeconds:integer,version:string,"
                            + "capabilities:object", null, true),
            new Operation("get", Paths.WORKERS, "workers", "List workers seen in the scope", 200, null, null, true),
            new Operation("post", Paths.RUN_HEARTBEAT, "workers", "Extend the lease; learn of stop requests", 200,
                    "leaseToken:string", null, true),
            new Operation("post", Paths.RUN_EVENTS, "workers", "Append worker events", 200,
                    "leaseToken:string,events:array", null, true),
            new Operation("post", Paths.RUN_COMPLETE, "workers", "Complete the run", 200,
                    "leaseToken:string,output:any", null, true),
            new Operation("post", Paths.RUN_FAIL, "workers", "Fail the attempt", 200,
                    "leaseToken:string,error:object,retryable:boolean,retryAfterSeconds:number", null, true),
            new Operation("post", Paths.RUN_SUSPEND, "workers",
                    "Suspend the run on waitpoints (or go on at once if all are complete)", 200,
                    "leaseToken:string,step:string,waitpoints:array#WaitpointRef,timeoutSeconds:integer,"
                            + "onTimeout:string", null, true),
            new Operation("post", Paths.RUN_STEP, "workers",
                    "Record a durable step once per run (a repeat answers the first output, replayed)", 200,
                    "leaseToken:string,output:any", null, true),
            new Operation("post", Paths.RUN_CHILDREN, "workers",
                    "Trigger a child run once per step (202; 200 with Idempotent-Replayed when it existed)", 202,
                    TRIGGER_FIELDS + ",leaseToken:string,step:string,service:string", null, true),
            new Operation("post", Paths.RUNS_COMPLETE, "workers",
                    "Complete up to 1,000 runs in one transaction; each item fenced and answered on its own", 200,
                    "items:array", null, true),
            new Operation("post", Paths.RUNS_FAIL, "workers",
                    "Fail up to 1,000 attempts in one transaction; each item fenced and answered on its own", 200,
                    "items:array", null, true),
            new Operation("post", Paths.WORKERS_HEARTBEAT, "workers",
                    "Heartbeat up to 1,000 leases in one transaction; each item fenced and answered on its own", 200,
                    "items:array", null, true),
            new Operation("post", Paths.RUN_SIGNALS, "runs", "Send a signal to a run (202, the pending message)", 202,
                    "type:string,data:any,severity:string", null, true),
            new Operation("get", Paths.RUN_MESSAGES, "runs", "A run's outbound messages with delivery status", 200,
                    null, null, true),
            new Operation("post", Paths.RUN_MESSAGE_ACK, "workers", "Acknowledge a delivered message", 200,
                    "leaseToken:string", null, true),
            new Operation("post", Paths.BATCHES, "runs", "Register up to 1,000 runs in one transaction", 202,
                    "items:array", null, true),
            new Operation("get", Paths.BATCH, "runs", "A batch with its runs' statuses", 200, null, null, true),
            new Operation("post", Paths.VALIDATE, "runs", "Preflight a trigger; writes nothing", 200,
                    TRIGGER_FIELDS, null, true),
            new Operation("post", Paths.WAITPOINTS, "waitpoints",
                    "Create a token waitpoint (201 with its callback URL, shown once; 200 on idempotent replay)",
                    201, "timeoutSeconds:integer,idempotencyKey:string,tags:array,runId:string", null, true),
            new Operation("get", Paths.WAITPOINTS, "waitpoints", "List waitpoints, newest first", 200, null,
                    "status,runId,limit,cursor", true),
            new Operation("get", Paths.WAITPOINT, "waitpoints", "Get a waitpoint", 200, null, null, true),
            new Operation("post", Paths.WAITPOINT_COMPLETE, "waitpoints",
                    "Complete a token (same data again: 200; other data: 409 waitpoint_already_completed)", 200,
                    "data:any", null, true),
            new Operation("post", Paths.CALLBACK, "waitpoints",
                    "Complete a token by its callback URL, without a key; the body (any JSON) is the data", 200,
                    ANY_BODY, null, false),
            new Operation("post", Paths.BULK_ACTIONS, "bulk-actions",
                    "Cancel or replay every run the filter matches now, in the background (202; "
                            + "400 bulk_action_too_large beyond 100,000 runs; 409 too_many_bulk_actions with 10 "
                            + "running); with dryRun: true, 200 {matched} and nothing written", 202,
                    "action:string,filter:#BulkFilter,reason:string,idempotencyKey:string,dryRun:boolean", null,
                    true),
            new Operation("get", Paths.BULK_ACTIONS, "bulk-actions", "List bulk actions, newest first", 200, null,
                    "limit,cursor", true),
            new Operation("get", Paths.BULK_ACTION, "bulk-actions", "Get a bulk action and its progress", 200, null,
                    null, true),
            new Operation("post", Paths.BULK_ACTION_CANCEL, "bulk-actions",
                    "Stop a bulk action before its next page; runs already processed stay so", 200, "", null, true),
            new Operation("get", Paths.WEBHOOKS, "webhooks", "List webhooks", 200, null, null, true),
            new Operation("put", Paths.WEBHOOK, "webhooks",
                    "Create (201) or replace (200) a webhook; kind alert: one alert.runs_failed per service per window",
                    201, "url:string,events:array,secret:string,enabled:boolean,kind:string,windowSeconds:integer",
                    null, true),
            new Operation("get", Paths.WEBHOOK, "webhooks", "Get a webhook", 200, null, null, true),
            new Operation("delete", Paths.WEBHOOK, "webhooks", "Delete a webhook", 204, null, null, true),
            new Operation("get", Paths.WEBHOOK_DELIVERIES, "webhooks", "A webhook's deliveries and attempts", 200,
                    null, "status,limit", true),
            new Operation("get", Paths.SCHEDULES, "schedules", "List cron schedules", 200, null, null, true),
            new Operation("put", Paths.SCHEDULE, "schedules",
                    "Create (201) or replace (200) a cron schedule; each fire triggers a run with idempotency key"
                            + " schedule/{scheduleId}/{fireAt}", 201,
                    "service:string,cron:string,timezone:string,input:any,enabled:boolean,overlap:string,"
                            + "catchUp:string", null, true),
            new Operation("get", Paths.SCHEDULE, "schedules", "Get a schedule with its next fire time", 200, null,
                    null, true),
            new Operation("delete", Paths.SCHEDULE, "schedules", "Delete a schedule", 204, null, null, true),
            new Operation("get", Paths.METRICS, "operations",
                    "Prometheus metrics (text format; admin key or metrics token unless public)", 200, null, null,
                    true),
            new Operation("get", Paths.HEALTH_LIVE, "operations", "Liveness", 200, null, null, false),
            new Operation("get", Paths.HEALTH_READY, "operations", "Readiness: database reachable and migrated", 200,
                    null, null, false),
            new Operation("get", Paths.OPENAPI, "operations", "This document", 200, null, null, false));

    /**
     * The item fields of the batched worker calls (request) and of their answers (response,
     * besides {@code runId} and, for a refused item, {@code error}: the problem document).
     */
    private static final java.util.Map<String, String[]> BATCH_ITEMS = java.util.Map.of(
            Paths.RUNS_COMPLETE, new String[] {"runId:string,leaseToken:string,output:any",
                "status:string,attempt:integer"},
            Paths.RUNS_FAIL, new String[] {"runId:string,leaseToken:string,error:object,retryable:boolean,"
                    + "retryAfterSeconds:number",
                "status:string,attempt:integer"},
            Paths.WORKERS_HEARTBEAT, new String[] {"runId:string,leaseToken:string",
                "leaseExpiresAt:string,stopRequested:boolean,messages:array"});

    private ApiDocument() {
    }

    public static ObjectNode build() {
        ObjectNode doc = ServerJson.MAPPER.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "RunLedger HTTP API").put("version", "1");
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode problem = schemas.putObject("Problem").put("type", "object");
        ObjectNode props = problem.putObject("properties");
        for (String f : List.of("type", "title", "detail", "code")) {
            props.putObject(f).put("type", "string");
        }
        props.putObject("status").put("type", "integer");
        problem.putArray("required").add("type").add("title").add("status").add("detail").add("code");
        ApiSchemas.addTo(schemas);
        ObjectNode paths = doc.putObject("paths");
        for (Operation op : OPERATIONS) {
            ObjectNode item = paths.has(op.path()) ? (ObjectNode) paths.get(op.path()) : paths.putObject(op.path());
            item.set(op.method(), operation(op));
        }
        return doc;
    }

    private static ObjectNode operation(Operation op) {
        ObjectNode o = ServerJson.MAPPER.createObjectNode();
        o.put("operationId", operationId(op));
        o.put("summary", op.summary());
        o.putArray("tags").add(op.tag());
        if (op.auth()) {
            o.putArray("security").addObject().putArray("bearer");
        }
        ArrayNode params = o.putArray("parameters");
        Matcher m = PATH_PARAM.matcher(op.path());
        while (m.find()) {
            params.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        if (op.query() != null) {
            for (String q : op.query().split(",")) {
                params.addObject().put("name", q).put("in", "query").put("required", false)
                        .putObject("schema").put("type", "string");
            }
        }
        ObjectNode schema = null;
        if (ANY_BODY.equals(op.body())) {
            o.putObject("requestBody").put("required", false).putObject("content").putObject("application/json")
                    .putObject("schema").put("description", "any JSON value; an empty body is null");
        } else if (op.body() != null) {
            schema = o.putObject("requestBody").put("required", !op.body().isEmpty())
                    .putObject("content").putObject("application/json").putObject("schema");
            schema.put("type", "object").put("additionalProperties", false);
            ObjectNode props = schema.putObject("properties");
            if (!op.body().isEmpty()) {
                fields(props, op.body());
            }
        }
        String[] items = BATCH_ITEMS.get(op.path());
        if (items != null && schema != null) {
            schema.putArray("required").add("items");
            itemsArray((ObjectNode) schema.get("properties").get("items"), items[0], false);
        }
        ObjectNode responses = o.putObject("responses");
        String type = op.path().endsWith("/stream") || op.path().endsWith(":stream")
                ? "text/event-stream" : "application/json";
        ObjectNode content = responses.putObject(String.valueOf(op.status())).put("description", "success")
                .putObject("content").putObject(type);
        String answers = ApiSchemas.ANSWERS.get(op.method() + " " + op.path());
        if (answers != null) {
            content.putObject("schema").put("$ref", ApiSchemas.ref(answers));
        }
        if (items != null) {
            ObjectNode answer = content.putObject("schema").put("type", "object");
            itemsArray(answer.putObject("properties").putObject("items"), "runId:string," + items[1], true);
        }
        responses.putObject("default").put("description", "an RFC 9457 problem")
                .putObject("content").putObject("application/problem+json")
                .putObject("schema").put("$ref", "#/components/schemas/Problem");
        return o;
    }

    private static void fields(ObjectNode props, String fields) {
        ApiSchemas.fields(props, fields);
    }

    /** An array of 1..1,000 objects with these fields; an answer's items may carry a problem instead. */
    private static void itemsArray(ObjectNode array, String fields, boolean answer) {
        array.put("type", "array");
        if (!answer) {
            array.put("minItems", 1).put("maxItems", 1000);
        }
        ObjectNode item = array.putObject("items").put("type", "object");
        ObjectNode props = item.putObject("properties");
        fields(props, fields);
        if (answer) {
            props.putObject("error").put("$ref", "#/components/schemas/Problem");
        } else {
            item.put("additionalProperties", false);
            item.putArray("required").add("runId").add("leaseToken");
        }
    }

    private static String operationId(Operation op) {
        String cleaned = op.path().replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_");
        return op.method().toLowerCase(Locale.ROOT) + cleaned;
    }
}
