package io.runledger.client.internal;

/** The URLs of the HTTP API v1, each segment encoded. */
final class Paths {
    private Paths() {
    }

    static String scope(String scope) {
        return "/v1/scopes/" + Transport.enc(scope);
    }

    static String service(String scope, String service) {
        return scope(scope) + "/services/" + Transport.enc(service);
    }

    /** A run's URL without its id, for the stream's resumes. */
    static String runs(String scope) {
        return scope(scope) + "/runs/";
    }

    static String run(String scope, String runId) {
        return runs(scope) + Transport.enc(runId);
    }

    static String waitpoints(String scope) {
        return scope(scope) + "/waitpoints";
    }

    static String waitpoint(String scope, String waitpointId) {
        return waitpoints(scope) + "/" + Transport.enc(waitpointId);
    }

    static String bulkActions(String scope) {
        return scope(scope) + "/bulk-actions";
    }

    static String bulkAction(String scope, String bulkActionId) {
        return bulkActions(scope) + "/" + Transport.enc(bulkActionId);
    }

    /** Outside any scope: the secret names the waitpoint and authorises its completion. */
    static String callback(String secret) {
        return "/v1/callbacks/" + Transport.enc(secret);
    }

    /** A step's URL; its name may hold {@code /} and {@code :}, which the encoding escapes. */
    static String step(String scope, String runId, String step) {
        return run(scope, runId) + "/steps/" + Transport.enc(step);
    }
}
