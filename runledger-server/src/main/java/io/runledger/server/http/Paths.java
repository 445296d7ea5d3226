package io.runledger.server.http;

/** The API's URL patterns (as registered) and the URLs it hands out. */
public final class Paths {
    public static final String SCOPE = "/v1/scopes/{scope}";
    public static final String SCOPE_KEYS = SCOPE + "/keys";
    public static final String SCOPE_KEY = SCOPE_KEYS + "/{keyId}";
    public static final String SERVICES = SCOPE + "/services";
    public static final String SERVICE = SERVICES + "/{service}";
    public static final String SERVICE_PAUSE = SERVICE + "/pause";
    public static final String SERVICE_RESUME = SERVICE + "/resume";
    public static final String QUEUES = SCOPE + "/queues";
    public static final String OVERVIEW = SCOPE + "/overview";
    public static final String TRIGGER = SERVICE + "/runs";
    public static final String TRIGGER_STREAM = SERVICE + "/runs:stream";
    public static final String RUNS = SCOPE + "/runs";
    public static final String RUN = RUNS + "/{runId}";
    public static final String RUN_WAIT = RUN + "/wait";
    public static final String RUN_EVENTS = RUN + "/events";
    public static final String RUN_STREAM = RUN + "/stream";
    public static final String RUN_ACCESS_TOKENS = RUN + "/access-tokens";
    public static final String RUN_CANCEL = RUN + "/cancel";
    public static final String RUN_REBUILD = RUN + "/projection/rebuild";
    public static final String RUN_HEARTBEAT = RUN + "/heartbeat";
    public static final String RUN_COMPLETE = RUN + "/complete";
    public static final String RUN_FAIL = RUN + "/fail";
    public static final String RUN_SUSPEND = RUN + "/suspend";
    public static final String RUN_STEPS = RUN + "/steps";
    /** One step; its name may hold {@code /}, which arrives encoded as {@code %2F} in this one segment. */
    public static final String RUN_STEP = RUN_STEPS + "/{step}";
    public static final String RUN_CHILDREN = RUN + "/children";
    public static final String RUN_REPLAY = RUN + "/replay";
    public static final String WAITPOINTS = SCOPE + "/waitpoints";
    public static final String WAITPOINT = WAITPOINTS + "/{waitpointId}";
    public static final String WAITPOINT_COMPLETE = WAITPOINT + "/complete";
    /** Outside any scope and without a key: the secret is the authority. */
    public static final String CALLBACKS_PREFIX = "/v1/callbacks/";
    public static final String CALLBACK = CALLBACKS_PREFIX + "{secret}";
    private static final String CALLBACKS_SEGMENT = "/callbacks/";
    public static final String RUNS_COMPLETE = SCOPE + "/runs:complete";
    public static final String RUNS_FAIL = SCOPE + "/runs:fail";
    public static final String VALIDATE = SERVICE + "/runs:validate";
    /** A stop by idempotency key: cancels the key's run, or records the stop for the run to come. */
    public static final String TRIGGER_CANCEL = SERVICE + "/runs:cancel";
    public static final String BATCHES = SERVICE + "/batches";
    public static final String BATCH = SCOPE + "/batches/{batchId}";
    public static final String RUN_SIGNALS = RUN + "/signals";
    public static final String RUN_MESSAGES = RUN + "/messages";
    public static final String RUN_MESSAGE_ACK = RUN_MESSAGES + "/{messageId}/ack";
    public static final String WEBHOOKS = SCOPE + "/webhooks";
    public static final String WEBHOOK = WEBHOOKS + "/{webhookId}";
    public static final String WEBHOOK_DELIVERIES = WEBHOOK + "/deliveries";
    public static final String WEBHOOK_REDELIVER = WEBHOOK_DELIVERIES + "/{deliveryId}/redeliver";
    public static final String SCHEDULES = SCOPE + "/schedules";
    public static final String SCHEDULE = SCHEDULES + "/{scheduleId}";
    public static final String BULK_ACTIONS = SCOPE + "/bulk-actions";
    public static final String BULK_ACTION = BULK_ACTIONS + "/{bulkActionId}";
    public static final String BULK_ACTION_CANCEL = BULK_ACTION + "/cancel";
    public static final String WORKERS = SCOPE + "/workers";
    public static final String WORKERS_LEASE = WORKERS + "/lease";
    public static final String WORKERS_HEARTBEAT = WORKERS + "/heartbeat";
    public static final String HEALTH_LIVE = "/health/live";
    public static final String HEALTH_READY = "/health/ready";
    public static final String OPENAPI = "/openapi.json";
    public static final String METRICS = "/metrics";

    private Paths() {
    }

    public static String run(String scope, String runId) {
        return "/v1/scopes/" + scope + "/runs/" + runId;
    }

    /**
     * A request path as it may be logged or echoed: a callback URL's secret is its only
     * authority, so everything after {@code /v1/callbacks/} is replaced.
     */
    public static String redacted(String path) {
        if (path == null) {
            return null;
        }
        // Any path naming callbacks, however it is spelled (//v1/callbacks/..., /V1/Callbacks/...),
        // so that not even a request that misses the route logs a secret.
        int at = path.toLowerCase(java.util.Locale.ROOT).indexOf(CALLBACKS_SEGMENT);
        return at < 0 ? path : path.substring(0, at + CALLBACKS_SEGMENT.length()) + "{secret}";
    }

    public static String waitpoint(String scope, String waitpointId) {
        return "/v1/scopes/" + scope + "/waitpoints/" + waitpointId;
    }

    /**
     * {@code text} (a problem's detail, say) without the secret of the callback URL
     * {@code path} names, raw or decoded; unchanged when the path is no callback URL.
     */
    public static String redacted(String text, String path) {
        if (text == null || path == null) {
            return text;
        }
        int at = path.toLowerCase(java.util.Locale.ROOT).indexOf(CALLBACKS_SEGMENT);
        if (at < 0) {
            return text;
        }
        String secret = path.substring(at + CALLBACKS_SEGMENT.length());
        if (secret.isEmpty()) {
            return text;
        }
        String out = text.replace(secret, "{secret}");
        try {
            String decoded = java.net.URLDecoder.decode(secret, java.nio.charset.StandardCharsets.UTF_8);
            return decoded.isEmpty() ? out : out.replace(decoded, "{secret}");
        } catch (IllegalArgumentException e) {
            return out; // not decodable: the raw form was replaced
        }
    }

    public static String bulkAction(String scope, String bulkActionId) {
        return "/v1/scopes/" + scope + "/bulk-actions/" + bulkActionId;
    }

    public static String batch(String scope, String batchId) {
        return "/v1/scopes/" + scope + "/batches/" + batchId;
    }
}
