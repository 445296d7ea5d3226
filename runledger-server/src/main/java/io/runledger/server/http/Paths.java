package io.runledger.server.http;

/** The API's URL patterns (as registered) and the URLs it hands out. */
public final class Paths {
    public static final String SCOPE = "/v1/scopes/{scope}";
    public static final String SCOPE_KEYS = SCOPE + "/keys";
    public static final String SCOPE_KEY = SCOPE_KEYS + "/{keyId}";
    public static final String SERVICES = SCOPE + "/services";
    public static final String SERVICE = SERVICES + "/{service}";
    public static final String TRIGGER = SERVICE + "/runs";
    public static final String TRIGGER_STREAM = SERVICE + "/runs:stream";
    public static final String RUNS = SCOPE + "/runs";
    public static final String RUN = RUNS + "/{runId}";
    public static final String RUN_WAIT = RUN + "/wait";
    public static final String RUN_EVENTS = RUN + "/events";
    public static final String RUN_STREAM = RUN + "/stream";
    public static final String RUN_CANCEL = RUN + "/cancel";
    public static final String RUN_REBUILD = RUN + "/projection/rebuild";
    public static final String RUN_HEARTBEAT = RUN + "/heartbeat";
    public static final String RUN_COMPLETE = RUN + "/complete";
    public static final String RUN_FAIL = RUN + "/fail";
    public static final String WORKERS = SCOPE + "/workers";
    public static final String WORKERS_LEASE = WORKERS + "/lease";
    public static final String HEALTH_LIVE = "/health/live";
    public static final String HEALTH_READY = "/health/ready";
    public static final String OPENAPI = "/openapi.json";

    private Paths() {
    }

    public static String run(String scope, String runId) {
        return "/v1/scopes/" + scope + "/runs/" + runId;
    }
}
