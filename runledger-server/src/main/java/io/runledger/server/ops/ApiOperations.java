package io.runledger.server.ops;

import static io.runledger.server.ops.ApiOperation.delete;
import static io.runledger.server.ops.ApiOperation.get;
import static io.runledger.server.ops.ApiOperation.post;
import static io.runledger.server.ops.ApiOperation.put;

import com.fasterxml.classmate.TypeResolver;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.BulkActions;
import io.runledger.api.OverviewWindow;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.WaitpointStatus;
import io.runledger.server.admin.AdminRoutes;
import io.runledger.server.batches.BatchRoutes;
import io.runledger.server.bulk.BulkActionRoutes;
import io.runledger.server.http.EmptyBody;
import io.runledger.server.http.Paths;
import io.runledger.server.http.ServerJson;
import io.runledger.server.ops.ApiOperation.Access;
import io.runledger.server.runs.AccessTokenRoutes;
import io.runledger.server.runs.RunRoutes;
import io.runledger.server.runs.RunTreeRoutes;
import io.runledger.server.runs.StreamOptions;
import io.runledger.server.runs.TriggerBody;
import io.runledger.server.schedules.ScheduleRoutes;
import io.runledger.server.signals.SignalRoutes;
import io.runledger.server.steps.StepRoutes;
import io.runledger.server.waitpoints.SuspendRoutes;
import io.runledger.server.waitpoints.WaitpointRoutes;
import io.runledger.server.webhooks.WebhookRoutes;
import io.runledger.server.wire.AppendedView;
import io.runledger.server.wire.BatchReceiptView;
import io.runledger.server.wire.BatchView;
import io.runledger.server.wire.BulkActionView;
import io.runledger.server.wire.BulkDryRunView;
import io.runledger.server.wire.CallbackAnswerView;
import io.runledger.server.wire.CreatedWaitpointView;
import io.runledger.server.wire.EventPageView;
import io.runledger.server.wire.HealthView;
import io.runledger.server.wire.HeartbeatItemView;
import io.runledger.server.wire.HeartbeatView;
import io.runledger.server.wire.KeyStopView;
import io.runledger.server.wire.LeasesView;
import io.runledger.server.wire.ListView;
import io.runledger.server.wire.NewScopeKeyView;
import io.runledger.server.wire.OverviewView;
import io.runledger.server.wire.PageView;
import io.runledger.server.wire.QueueView;
import io.runledger.server.wire.RebuildView;
import io.runledger.server.wire.ReceiptView;
import io.runledger.server.wire.RunAccessTokenView;
import io.runledger.server.wire.RunMessageView;
import io.runledger.server.wire.RunView;
import io.runledger.server.wire.ScheduleView;
import io.runledger.server.wire.ScopeKeyView;
import io.runledger.server.wire.ScopeView;
import io.runledger.server.wire.ServiceView;
import io.runledger.server.wire.SettlementItemView;
import io.runledger.server.wire.StepPageView;
import io.runledger.server.wire.StepRecordView;
import io.runledger.server.wire.SuspendResultView;
import io.runledger.server.wire.ValidationView;
import io.runledger.server.wire.WaitpointView;
import io.runledger.server.wire.WebhookDeliveryView;
import io.runledger.server.wire.WebhookView;
import io.runledger.server.wire.WorkerView;
import io.runledger.server.workers.WorkerBodies;
import java.lang.reflect.Type;
import java.util.List;

/**
 * Every operation of the API, one entry each. It is written as its own table, not derived
 * from the router, so that a test comparing it with the registered routes catches a route
 * added without being documented. A new operation is one more entry: its path, id, tag and
 * summary, its body record, its answers (wire records) and the refusals particular to it.
 */
final class ApiOperations {
    static final String ADMIN = "admin";
    static final String RUNS = "runs";
    static final String WORKERS = "workers";
    static final String WAITPOINTS = "waitpoints";
    static final String BULK = "bulk-actions";
    static final String WEBHOOKS = "webhooks";
    static final String SCHEDULES = "schedules";
    static final String OPERATIONS = "operations";

    static final String LOCATION = "Location";
    static final String REPLAYED = "Idempotent-Replayed";
    static final String CONTENT_LOCATION = "Content-Location";
    static final String CONTENT_DISPOSITION = "Content-Disposition";

    private static final TypeResolver TYPES = new TypeResolver();
    private static final ApiParam IDEMPOTENCY_KEY = ApiParam.header("Idempotency-Key",
            "Registers the run once per (scope, service) for 24 h: the same key and request again answers"
                    + " 200 with the original receipt, another request 422 idempotency_key_reused",
            ServerJson.MAPPER.createObjectNode().put("type", "string").put("maxLength", 255));
    private static final ApiParam LAST_EVENT_ID = ApiParam.header("Last-Event-ID",
            "Resume after this seq (what a reconnecting EventSource sends); wins over after",
            ServerJson.MAPPER.createObjectNode().put("type", "string").put("pattern", "^[0-9]+$"));
    private static final ApiParam AFTER = ApiParam.integer("after", 0, Long.MAX_VALUE, 0,
            "only events with a greater seq");
    private static final ApiParam EVENT_NAMES = new ApiParam("eventNames", "query",
            "false leaves out each message's event: line, so a browser's EventSource delivers every message to"
                    + " onmessage (the type stays in data)",
            ServerJson.MAPPER.createObjectNode().put("type", "boolean").put("default", true));
    private static final ApiParam CURSOR = ApiParam.text("cursor", "the nextCursor of the previous page");
    private static final List<ApiParam> RUN_FILTERS = List.of(
            ApiParam.text("service", "only this service's runs"),
            ApiParam.oneOf("status", RunStatus.class, "only runs in this status"),
            ApiParam.text("concurrencyKey", "only runs with this concurrency key"),
            ApiParam.text("tag", "only runs with this tag"),
            ApiParam.text("parentRunId", "only the children of this run"),
            ApiParam.oneOf("health", RunHealth.class, "retrying (attempt > 1), stuck or silent"),
            ApiParam.integer("stuckAfterSeconds", 1, RunFilter.MAX_HEALTH_SECONDS, RunFilter.DEFAULT_HEALTH_SECONDS,
                    "health=stuck: queued (due) longer than this"),
            ApiParam.integer("silentForSeconds", 1, RunFilter.MAX_HEALTH_SECONDS, RunFilter.DEFAULT_HEALTH_SECONDS,
                    "health=silent: running with no event for this long"),
            ApiParam.timestamp("createdAfter", "only runs created at or after this time"),
            ApiParam.timestamp("createdBefore", "only runs created before this time"),
            ApiParam.integer("limit", 1, RunFilter.MAX_LIMIT, RunFilter.DEFAULT_LIMIT, "runs per page"),
            CURSOR);
    private static final ObjectNode SSE_SCHEMA = ServerJson.MAPPER.createObjectNode().put("type", "string")
            .put("description", "Server-Sent Events: each message is id: <seq>, event: <type> and data: the"
                    + " event as JSON (x-item-schema); a keep-alive comment every 15 s; the stream ends after"
                    + " the terminal event");
    private static final ObjectNode NDJSON_SCHEMA = ServerJson.MAPPER.createObjectNode().put("type", "string")
            .put("description", "JSON Lines: the whole ledger, one event (x-item-schema) per line, in seq order");
    private static final ObjectNode METRICS_SCHEMA = ServerJson.MAPPER.createObjectNode().put("type", "string")
            .put("description", "The Prometheus text exposition format (0.0.4)");
    private static final ObjectNode DOCUMENT_SCHEMA = ServerJson.MAPPER.createObjectNode().put("type", "object")
            .put("description", "An OpenAPI 3.1 document");

    private ApiOperations() {
    }

    static final List<ApiOperation> ALL = List.of(
            // admin: scopes and keys (admin key), services (a key of the scope)
            put(Paths.SCOPE, "putScope", ADMIN, "Create a scope").access(Access.ADMIN)
                    .body(false, EmptyBody.class)
                    .answer(201, "The scope was created", ScopeView.class)
                    .answer(200, "The scope existed already", ScopeView.class),
            post(Paths.SCOPE_KEYS, "createScopeKey", ADMIN, "Create a scope key, shown once").access(Access.ADMIN)
                    .body(false, AdminRoutes.KeyBody.class)
                    .answer(201, "The key; only its hash is kept", NewScopeKeyView.class)
                    .problem(404, "No such scope: scope_not_found"),
            get(Paths.SCOPE_KEYS, "listScopeKeys", ADMIN, "List a scope's keys, never the keys").access(Access.ADMIN)
                    .answer(200, "The keys", list(ScopeKeyView.class))
                    .problem(404, "No such scope: scope_not_found"),
            delete(Paths.SCOPE_KEY, "deleteScopeKey", ADMIN, "Revoke a scope key at once, on every instance")
                    .access(Access.ADMIN)
                    .answer(204, "Revoked: from this answer on, every instance refuses the key (it comes about a second"
                            + " after the revocation committed, once no instance still uses the key it confirmed)", null)
                    .problem(404, "No such key: key_not_found"),
            put(Paths.SERVICE, "putService", ADMIN, "Create or update a service")
                    .body(false, AdminRoutes.ServiceBody.class)
                    .answer(200, "The service", ServiceView.class),
            get(Paths.SERVICES, "listServices", ADMIN, "List services")
                    .answer(200, "The services", list(ServiceView.class)),
            get(Paths.SERVICE, "getService", ADMIN, "Get a service")
                    .answer(200, "The service", ServiceView.class),
            post(Paths.SERVICE_PAUSE, "pauseService", ADMIN, "Pause a service: it still accepts triggers,"
                    + " leases skip it")
                    .body(false, EmptyBody.class)
                    .answer(200, "The service", ServiceView.class),
            post(Paths.SERVICE_RESUME, "resumeService", ADMIN, "Resume a paused service")
                    .body(false, EmptyBody.class)
                    .answer(200, "The service", ServiceView.class),
            get(Paths.QUEUES, "listQueues", ADMIN, "Each service's queue: queued runs and the oldest one's age")
                    .answer(200, "The queues", list(QueueView.class)),
            get(Paths.OVERVIEW, "getOverview", ADMIN, "How the scope's services are doing over a window")
                    .description("Per service: runs triggered and settled by outcome in each bucket of the window,"
                            + " the failure rate and durations of the runs settled in it, and the runs queued,"
                            + " running and waiting now. Read from the runs' indexes on every call.")
                    .param(ApiParam.oneOf("window", OverviewWindow.class, "the window (default 1h)"))
                    .answer(200, "The overview", OverviewView.class),

            // runs: the caller's side
            post(Paths.TRIGGER, "triggerRun", RUNS, "Trigger a run")
                    .description("Registers the run durably before answering. With an Idempotency-Key (header or"
                            + " field) a repeat of the same request answers 200 with the original receipt.")
                    .param(IDEMPOTENCY_KEY).body(true, TriggerBody.class)
                    .answer(202, "The run is registered", ReceiptView.class, LOCATION)
                    .answer(200, "Idempotent replay: the run the key registered", ReceiptView.class, REPLAYED)
                    .problem(409, "Another run holds the concurrency key (onConflict reject): concurrency_conflict"
                            + " with activeRunId")
                    .problem(422, "The input does not match the service's inputSchema (invalid_input), or the"
                            + " idempotency key was used for another request (idempotency_key_reused)"),
            post(Paths.TRIGGER_STREAM, "triggerAndStreamRun", RUNS, "Trigger a run and stream its events")
                    .description("Registers the run exactly as a trigger does, then streams its ledger from"
                            + " run.accepted (id 1). Dropping the connection never cancels the run unless"
                            + " onDisconnect is cancel; resume with GET .../stream.")
                    .param(IDEMPOTENCY_KEY).param(EVENT_NAMES).body(true, TriggerBody.class, StreamOptions.class)
                    .answer(200, "The run's events", ApiOperation.SSE, sse(), CONTENT_LOCATION, REPLAYED)
                    .problem(409, "concurrency_conflict").problem(422, "invalid_input or idempotency_key_reused")
                    .problem(429, ApiOperation.defaultProblem(429)),
            get(Paths.RUNS, "listRuns", RUNS, "List runs, newest first").params(RUN_FILTERS)
                    .answer(200, "A page of runs", page(RunView.class)),
            get(Paths.RUN, "getRun", RUNS, "Get a run").access(ApiOperation.Access.RUN_READ)
                    .answer(200, "The run", RunView.class),
            get(Paths.RUN_WAIT, "waitRun", RUNS, "Wait until the run is terminal (long poll)")
                    .access(ApiOperation.Access.RUN_READ)
                    .param(ApiParam.integer("timeoutSeconds", 0, RunRoutes.MAX_WAIT_SECONDS,
                            RunRoutes.DEFAULT_WAIT_SECONDS, "how long to wait; 0 answers at once"))
                    .answer(200, "The run: terminal, or as it is when the time is up", RunView.class)
                    .problem(429, ApiOperation.defaultProblem(429)),
            get(Paths.RUN_EVENTS, "listRunEvents", RUNS, "Page through a run's events, or export the whole ledger")
                    .access(ApiOperation.Access.RUN_READ)
                    .description("With Accept: application/x-ndjson the whole ledger is streamed as JSON Lines.")
                    .param(AFTER).param(ApiParam.integer("limit", 1, RunRoutes.MAX_EVENTS_LIMIT,
                            RunRoutes.DEFAULT_EVENTS_LIMIT, "events per page"))
                    .answer(200, "A page of events, or the whole ledger as JSON Lines", EventPageView.class)
                    .answer(200, "", ApiOperation.NDJSON, ndjson(), CONTENT_DISPOSITION),
            get(Paths.RUN_STREAM, "streamRun", RUNS, "Stream a run's events (SSE, resumable)")
                    .access(ApiOperation.Access.RUN_READ)
                    .description("Event ids are seqs: a reconnect with Last-Event-ID (or after) gets exactly the"
                            + " later events. The stream ends after the terminal event; a reconnect after it gets"
                            + " 204, which stops a browser's EventSource. A stream read with a run access token"
                            + " ends when the token expires.")
                    .param(AFTER).param(LAST_EVENT_ID).param(EVENT_NAMES)
                    .answer(200, "The run's events", ApiOperation.SSE, sse())
                    .answer(204, "The resume point is at or after the run's terminal event: nothing more will"
                            + " come", null)
                    .problem(429, ApiOperation.defaultProblem(429)),
            post(Paths.RUN_ACCESS_TOKENS, "issueRunAccessToken", RUNS, "Issue a token that may only read this run")
                    .description("The token reads this run only (get, wait, events, stream), by Authorization:"
                            + " Bearer or as ?access_token=, until it expires; it dies with the scope key that"
                            + " issued it. A run has at most 100 unexpired tokens.")
                    .body(false, AccessTokenRoutes.Body.class)
                    .answer(201, "The token, shown this once", RunAccessTokenView.class)
                    .problem(403, "A run access token cannot issue tokens: forbidden")
                    .problem(409, "The run has its 100 unexpired tokens: too_many_access_tokens, with live and"
                            + " retryAfterSeconds"),
            post(Paths.RUN_CANCEL, "cancelRun", RUNS, "Cancel a run and, unless cascade is false, its descendants")
                    .body(false, RunRoutes.CancelBody.class)
                    .answer(200, "Settled: cancelled at once, or already terminal", RunView.class)
                    .answer(202, "Stop requested: its worker settles it", RunView.class),
            post(Paths.TRIGGER_CANCEL, "cancelRunByKey", RUNS, "Stop the run of an idempotency key, even before"
                    + " it exists")
                    .description("Cancels the key's run as cancel does, or records the stop so that a later"
                            + " trigger with the key registers its run cancelled.")
                    .body(true, RunRoutes.KeyCancelBody.class)
                    .answer(200, "The key's run, settled", RunView.class)
                    .answer(202, "The key's run with a stop requested, or the stop recorded on the key",
                            RunView.class)
                    .answer(202, "", KeyStopView.class),
            post(Paths.RUN_REPLAY, "replayRun", RUNS, "Replay a run: a new run of its service with its input")
                    .body(false, RunTreeRoutes.ReplayBody.class)
                    .answer(202, "The new run is registered (replayOf names the original)", ReceiptView.class,
                            LOCATION),
            get(Paths.RUN_STEPS, "listRunSteps", RUNS, "Page through a run's recorded steps")
                    .param(ApiParam.integer("after", 0, Long.MAX_VALUE, 0, "only steps recorded at a greater seq"))
                    .param(ApiParam.integer("limit", 1, StepRoutes.MAX_LIMIT, StepRoutes.DEFAULT_LIMIT,
                            "steps per page"))
                    .answer(200, "A page of steps", StepPageView.class),
            post(Paths.RUN_REBUILD, "rebuildRunProjection", RUNS, "Rebuild a run's projection from its ledger")
                    .body(false, EmptyBody.class)
                    .answer(200, "Before and after; changed when it differed and was repaired", RebuildView.class),
            post(Paths.RUN_SIGNALS, "sendSignal", RUNS, "Send a signal to a run")
                    .body(true, SignalRoutes.SignalBody.class)
                    .answer(202, "The pending message its worker gets on its next heartbeat", RunMessageView.class)
                    .problem(409, "The run is terminal: run_already_settled"),
            get(Paths.RUN_MESSAGES, "listRunMessages", RUNS, "A run's outbound messages with delivery status")
                    .answer(200, "The messages", list(RunMessageView.class)),
            post(Paths.BATCHES, "registerBatch", RUNS, "Register up to 1,000 runs in one transaction")
                    .body(true, BatchRoutes.BatchBody.class)
                    .answer(202, "Every run is registered", BatchReceiptView.class, LOCATION)
                    .problem(409, "concurrency_conflict").problem(422, "invalid_input or idempotency_key_reused"),
            get(Paths.BATCH, "getBatch", RUNS, "A batch with its runs' statuses")
                    .answer(200, "The batch", BatchView.class),
            post(Paths.VALIDATE, "validateTrigger", RUNS, "Preflight a trigger; writes nothing")
                    .param(IDEMPOTENCY_KEY).body(true, TriggerBody.class)
                    .answer(200, "Whether the trigger would be accepted, and why not", ValidationView.class),

            // workers
            post(Paths.WORKERS_LEASE, "leaseRuns", WORKERS, "Lease up to 1,000 runs (long poll)")
                    .description("Waits up to waitSeconds for a run, woken at once by a new one.")
                    .body(true, WorkerBodies.LeaseBody.class)
                    .answer(200, "The leased runs; none when none came within the wait", LeasesView.class)
                    .problem(429, ApiOperation.defaultProblem(429)),
            get(Paths.WORKERS, "listWorkers", WORKERS, "List the workers seen in the scope")
                    .answer(200, "The workers", list(WorkerView.class)),
            post(Paths.RUN_HEARTBEAT, "heartbeatRun", WORKERS, "Extend the lease; learn of stop requests and"
                    + " signals")
                    .body(true, WorkerBodies.TokenBody.class)
                    .answer(200, "The new expiry, a stop request, messages to handle", HeartbeatView.class)
                    .problem(409, "The token is stale: lease_lost"),
            post(Paths.RUN_EVENTS, "appendRunEvents", WORKERS, "Append worker events")
                    .body(true, WorkerBodies.AppendBody.class)
                    .answer(200, "The events' seqs", AppendedView.class)
                    .problem(409, "The token is stale: lease_lost"),
            post(Paths.RUN_COMPLETE, "completeRun", WORKERS, "Complete the run")
                    .body(true, WorkerBodies.CompleteBody.class)
                    .answer(200, "The run, succeeded (a repeat of the same completion answers the same)",
                            RunView.class)
                    .problem(409, "lease_lost, or run_already_settled (with runStatus) by another outcome"),
            post(Paths.RUN_FAIL, "failRun", WORKERS, "Fail the attempt")
                    .body(true, WorkerBodies.FailBody.class)
                    .answer(200, "The run: failed, retrying (accepted or scheduled) or cancelled", RunView.class)
                    .problem(409, "lease_lost, or run_already_settled (with runStatus) by another outcome"),
            post(Paths.RUN_SUSPEND, "suspendRun", WORKERS, "Suspend the run on waitpoints")
                    .body(true, SuspendRoutes.SuspendBody.class)
                    .answer(200, "Suspended; or not, when every waitpoint is complete, with their results",
                            SuspendResultView.class)
                    .problem(409, "The token is stale: lease_lost"),
            post(Paths.RUN_STEP, "recordRunStep", WORKERS, "Record a durable step, once per run")
                    .body(true, StepRoutes.RecordBody.class)
                    .answer(200, "The step; a repeat answers the first output, replayed", StepRecordView.class)
                    .problem(409, "The token is stale: lease_lost"),
            post(Paths.RUN_CHILDREN, "triggerChildRun", WORKERS, "Trigger a child run, once per step")
                    .param(IDEMPOTENCY_KEY).body(true, RunTreeRoutes.ChildFence.class, TriggerBody.class)
                    .answer(202, "The child is registered", ReceiptView.class, LOCATION)
                    .answer(200, "The child this step triggered before", ReceiptView.class, REPLAYED)
                    .problem(409, "lease_lost or concurrency_conflict")
                    .problem(422, "invalid_input or idempotency_key_reused"),
            post(Paths.RUNS_COMPLETE, "completeRuns", WORKERS, "Complete up to 1,000 runs in one transaction")
                    .body(true, WorkerBodies.CompleteItems.class)
                    .answer(200, "Each item's outcome, in order, or the problem the single call would answer",
                            list(SettlementItemView.class)),
            post(Paths.RUNS_FAIL, "failRuns", WORKERS, "Fail up to 1,000 attempts in one transaction")
                    .body(true, WorkerBodies.FailItems.class)
                    .answer(200, "Each item's outcome, in order, or the problem the single call would answer",
                            list(SettlementItemView.class)),
            post(Paths.WORKERS_HEARTBEAT, "heartbeatRuns", WORKERS, "Heartbeat up to 1,000 leases in one"
                    + " transaction")
                    .body(true, WorkerBodies.LeaseItems.class)
                    .answer(200, "Each item's heartbeat, in order, or the problem the single call would answer",
                            list(HeartbeatItemView.class)),
            post(Paths.RUN_MESSAGE_ACK, "ackRunMessage", WORKERS, "Acknowledge a delivered message")
                    .body(true, SignalRoutes.AckBody.class)
                    .answer(200, "The message, acked", RunMessageView.class)
                    .problem(409, "The token is stale: lease_lost"),

            // waitpoints
            post(Paths.WAITPOINTS, "createWaitpoint", WAITPOINTS, "Create a token waitpoint")
                    .body(false, WaitpointRoutes.CreateBody.class)
                    .answer(201, "The waitpoint with its callback URL, shown this once", CreatedWaitpointView.class,
                            LOCATION)
                    .answer(200, "Idempotent replay: the waitpoint the key created (no callback URL)",
                            WaitpointView.class, REPLAYED),
            get(Paths.WAITPOINTS, "listWaitpoints", WAITPOINTS, "List waitpoints, newest first")
                    .param(ApiParam.oneOf("status", WaitpointStatus.class, "only waitpoints in this status"))
                    .param(ApiParam.text("runId", "only this run's waitpoints"))
                    .param(ApiParam.integer("limit", 1, WaitpointFilter.MAX_LIMIT, WaitpointFilter.DEFAULT_LIMIT,
                            "waitpoints per page"))
                    .param(CURSOR)
                    .answer(200, "A page of waitpoints", page(WaitpointView.class)),
            get(Paths.WAITPOINT, "getWaitpoint", WAITPOINTS, "Get a waitpoint")
                    .answer(200, "The waitpoint", WaitpointView.class),
            post(Paths.WAITPOINT_COMPLETE, "completeWaitpoint", WAITPOINTS, "Complete a token")
                    .body(true, WaitpointRoutes.CompleteTokenBody.class)
                    .answer(200, "The waitpoint, completed (the same data again is a no-op)", WaitpointView.class)
                    .problem(409, "Completed with other data: waitpoint_already_completed"),
            post(Paths.CALLBACK, "completeWaitpointByCallback", WAITPOINTS, "Complete a token by its callback URL")
                    .description("No key: the secret in the URL is the authority. The body, any JSON (empty:"
                            + " null), is the token's data.")
                    .access(Access.PUBLIC).anyBody("any JSON value; an empty body is null")
                    .answer(200, "Whether the completion holds, nothing else of the scope", CallbackAnswerView.class)
                    .problem(404, "No such callback (every unknown secret gets the same answer)")
                    .problem(409, "Completed with other data: waitpoint_already_completed"),

            // bulk actions
            post(Paths.BULK_ACTIONS, "createBulkAction", BULK, "Cancel or replay every run a filter matches now")
                    .description("The runs that match when the action is created are processed in the"
                            + " background, in pages, by any instance.")
                    .body(true, BulkActionRoutes.BulkActionBody.class)
                    .answer(202, "The action, processing", BulkActionView.class, LOCATION)
                    .answer(200, "A dry run: how many runs match; nothing written", BulkDryRunView.class)
                    .problem(400, ApiOperation.defaultProblem(400) + "; bulk_action_too_large beyond "
                            + BulkActions.MAX_MATCHED + " runs")
                    .problem(409, "too_many_bulk_actions (" + BulkActions.MAX_RUNNING + " running), or"
                            + " bulk_action_key_reused"),
            get(Paths.BULK_ACTIONS, "listBulkActions", BULK, "List bulk actions, newest first")
                    .param(ApiParam.integer("limit", 1, BulkActions.MAX_LIMIT, BulkActions.DEFAULT_LIMIT,
                            "actions per page"))
                    .param(CURSOR)
                    .answer(200, "A page of bulk actions", page(BulkActionView.class)),
            get(Paths.BULK_ACTION, "getBulkAction", BULK, "Get a bulk action and its progress")
                    .answer(200, "The action", BulkActionView.class),
            post(Paths.BULK_ACTION_CANCEL, "cancelBulkAction", BULK, "Stop a bulk action before its next page")
                    .body(false, EmptyBody.class)
                    .answer(200, "The action", BulkActionView.class),

            // webhooks
            get(Paths.WEBHOOKS, "listWebhooks", WEBHOOKS, "List webhooks")
                    .answer(200, "The webhooks", list(WebhookView.class)),
            put(Paths.WEBHOOK, "putWebhook", WEBHOOKS, "Create or replace a webhook")
                    .body(true, WebhookRoutes.WebhookBody.class)
                    .answer(201, "Created; the secret is shown", WebhookView.class)
                    .answer(200, "Replaced; the secret is shown", WebhookView.class),
            get(Paths.WEBHOOK, "getWebhook", WEBHOOKS, "Get a webhook")
                    .answer(200, "The webhook, without its secret", WebhookView.class),
            delete(Paths.WEBHOOK, "deleteWebhook", WEBHOOKS, "Delete a webhook")
                    .answer(204, "Deleted", null),
            get(Paths.WEBHOOK_DELIVERIES, "listWebhookDeliveries", WEBHOOKS, "A webhook's deliveries and attempts")
                    .param(ApiParam.oneOf("status", "only deliveries in this status", "pending", "delivered",
                            "dead"))
                    .param(ApiParam.integer("limit", 1, 200, 50, "deliveries, newest first"))
                    .answer(200, "The deliveries", list(WebhookDeliveryView.class)),
            post(Paths.WEBHOOK_REDELIVER, "redeliverWebhookDelivery", WEBHOOKS, "Send a dead or delivered delivery again")
                    .description("The delivery becomes pending, due at once, with a fresh series of attempts (it"
                            + " can end dead again). It is the same delivery: the same webhook-id header and"
                            + " payload, signed with the webhook's current secret; its attempt log goes on.")
                    .body(false, EmptyBody.class)
                    .answer(202, "The delivery, pending", WebhookDeliveryView.class)
                    .problem(404, "No such webhook (webhook_not_found) or no such delivery of it"
                            + " (delivery_not_found) in the scope")
                    .problem(409, "The delivery is still pending, so it is sent anyway: delivery_pending"),

            // schedules
            get(Paths.SCHEDULES, "listSchedules", SCHEDULES, "List cron schedules")
                    .answer(200, "The schedules", list(ScheduleView.class)),
            put(Paths.SCHEDULE, "putSchedule", SCHEDULES, "Create or replace a cron schedule")
                    .description("Each fire triggers a run with idempotency key schedule/{scheduleId}/{fireAt}, so"
                            + " any number of instances fire it once.")
                    .body(true, ScheduleRoutes.ScheduleBody.class)
                    .answer(201, "Created", ScheduleView.class)
                    .answer(200, "Replaced", ScheduleView.class)
                    .problem(404, "No such service: service_not_found")
                    .problem(422, "The input does not match the service's inputSchema: invalid_input"),
            get(Paths.SCHEDULE, "getSchedule", SCHEDULES, "Get a schedule with its next fire time")
                    .answer(200, "The schedule", ScheduleView.class),
            delete(Paths.SCHEDULE, "deleteSchedule", SCHEDULES, "Delete a schedule")
                    .answer(204, "Deleted", null),

            // operations
            get(Paths.METRICS, "getMetrics", OPERATIONS, "Prometheus metrics")
                    .description("Needs the admin key or the metrics token unless the server serves metrics"
                            + " publicly (--metrics-public).")
                    .access(Access.METRICS)
                    .answer(200, "The metrics", "text/plain; version=0.0.4", METRICS_SCHEMA),
            get(Paths.HEALTH_LIVE, "getLiveness", OPERATIONS, "Liveness: the process answers")
                    .access(Access.PUBLIC)
                    .answer(200, "Live", HealthView.class),
            get(Paths.HEALTH_READY, "getReadiness", OPERATIONS, "Readiness: the database answers and is migrated")
                    .access(Access.PUBLIC)
                    .answer(200, "Ready", HealthView.class)
                    .problem(503, "Not ready: not_ready"),
            get(Paths.OPENAPI, "getOpenApiDocument", OPERATIONS, "This document")
                    .access(Access.PUBLIC)
                    .answer(200, "The OpenAPI document", ApiOperation.JSON, DOCUMENT_SCHEMA));

    private static Type list(Class<?> item) {
        return TYPES.resolve(ListView.class, item);
    }

    private static Type page(Class<?> item) {
        return TYPES.resolve(PageView.class, item);
    }

    /** An event stream; the document adds the event schema ({@code x-item-schema}). */
    private static ObjectNode sse() {
        return SSE_SCHEMA.deepCopy();
    }

    private static ObjectNode ndjson() {
        return NDJSON_SCHEMA.deepCopy();
    }
}
