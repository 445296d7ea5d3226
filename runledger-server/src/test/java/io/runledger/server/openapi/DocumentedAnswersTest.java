package io.runledger.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real server driven through every documented operation, and every answer checked against
 * what {@code /openapi.json} documents for it ({@link DocumentedApi}): its status, its media
 * type, its headers and its body, validated against the generated schemas (strictly: no field
 * the schema does not name). Refusals are checked too: each must be a documented status with a
 * problem document.
 */
class DocumentedAnswersTest extends ServerTestBase {
    private static final String TRIGGER = P + "/services/" + SERVICE + "/runs";
    private DocumentedApi documented;

    @BeforeEach
    void readTheDocument() {
        Http.Reply doc = api.get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        documented = new DocumentedApi(doc.json());
        documented.check("GET", "/openapi.json", doc);
    }

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":3,\"leaseTtlSeconds\":30,\"description\":\"documented\","
                + "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}";
    }

    @Test
    void everyOperationAnswersWhatTheDocumentSays() throws Exception {
        adminAndServices();
        String runId = runsAndRefusals();
        String parent = workersAndOrchestration();
        batchedWorkerCalls();
        readsAndStreams(runId, parent);
        overview();
        cancelsAndReplays();
        batchesWebhooksSchedulesAndBulk();
        triggerAndStream();
        operations();

        Set<String> succeeded = new TreeSet<>();
        for (String c : documented.checked()) {
            String[] parts = c.split(" ");
            if (parts[2].startsWith("2")) {
                succeeded.add(parts[0] + " " + parts[1]);
            }
        }
        assertThat(succeeded).as("every documented operation answered with success at least once")
                .containsExactlyInAnyOrderElementsOf(documented.operations());
        System.out.println("answers checked against the document: " + documented.checked());
    }

    /** After runs settled: an overview with durations, failure rates and buckets filled. */
    private void overview() {
        call("GET", P + "/overview", null, 200);
        call("GET", P + "/overview?window=7d", null, 200);
        call("GET", P + "/overview?window=2h", null, 400);
    }

    private void adminAndServices() {
        call("PUT", "/v1/scopes/" + SCOPE, null, 200);
        call("PUT", "/v1/scopes/other", "{}", 201);
        JsonNode key = call("POST", "/v1/scopes/" + SCOPE + "/keys", "{\"name\":\"docs\"}", 201).json();
        call("GET", "/v1/scopes/" + SCOPE + "/keys", null, 200);
        Http scoped = api.withKey(key.get("key").asText());
        call(scoped, "POST", "/v1/scopes/" + SCOPE + "/keys", null, Map.of(), 403);
        call(scoped, "GET", P + "/services/" + SERVICE, null, Map.of(), 200);
        call(api.withKey(null), "GET", P + "/services", null, Map.of(), 401);
        call(scoped, "GET", "/v1/scopes/other/runs", null, Map.of(), 404);
        String revoked = call("POST", "/v1/scopes/" + SCOPE + "/keys", null, 201).json().get("keyId").asText();
        call("DELETE", "/v1/scopes/" + SCOPE + "/keys/" + revoked, null, 204);
        call("DELETE", "/v1/scopes/" + SCOPE + "/keys/" + revoked, null, 404);
        call("PUT", P + "/services/" + SERVICE, serviceSpec(), 200);
        call("PUT", P + "/services/other", "{\"concurrencyLimit\":2,\"retry\":{\"factor\":3}}", 200);
        call("GET", P + "/services", null, 200);
        call("GET", P + "/services/" + SERVICE, null, 200);
        call("GET", P + "/services/missing", null, 404);
        call("POST", P + "/services/other/pause", null, 200);
        call("POST", P + "/services/other/resume", "{}", 200);
        call("GET", P + "/queues", null, 200);
        call("PUT", P + "/services/" + SERVICE, "{\"maxAttempts\":0}", 400);
        call("PUT", P + "/services/Bad_Name", "{}", 400);
    }

    /** Triggers, idempotent replays and the refusals of a trigger; returns a run left queued. */
    private String runsAndRefusals() {
        JsonNode receipt = call(api, "POST", TRIGGER, "{\"input\":{\"n\":1},\"tags\":[\"docs\"]}",
                Map.of("Idempotency-Key", "docs-1"), 202).json();
        call(api, "POST", TRIGGER, "{\"input\":{\"n\":1},\"tags\":[\"docs\"]}", Map.of("Idempotency-Key", "docs-1"),
                200);
        call(api, "POST", TRIGGER, "{\"input\":{\"n\":2}}", Map.of("Idempotency-Key", "docs-1"), 422);
        call("POST", TRIGGER, "{\"input\":{\"n\":\"one\"}}", 422);
        call("POST", TRIGGER, "{\"input\":1,\"color\":\"red\"}", 400);
        call("POST", TRIGGER, "{\"input\":{\"blob\":\"" + "x".repeat(1024 * 1024) + "\"}}", 413);
        call("POST", P + "/services/missing/runs", "{\"input\":null}", 404);
        call("POST", TRIGGER, "{\"input\":{},\"concurrencyKey\":\"k\"}", 202);
        call("POST", TRIGGER, "{\"input\":{},\"concurrencyKey\":\"k\"}", 409);
        call("POST", P + "/services/" + SERVICE + "/runs:validate", "{\"input\":{\"n\":\"one\"}}", 200);
        call("POST", P + "/services/" + SERVICE + "/runs:validate", "{\"input\":{\"n\":1},\"runAt\":\"2026-01-01"
                + "T00:00:00Z\",\"delaySeconds\":5}", 200);
        call("GET", P + "/runs?limit=0", null, 400);
        call("GET", P + "/runs/run_nope", null, 404);
        call("GET", P + "/runs?status=accepted&limit=2&tag=docs&health=retrying", null, 200);
        String cursor = call("GET", P + "/runs?limit=1", null, 200).json().get("nextCursor").asText();
        call("GET", P + "/runs?limit=1&cursor=" + cursor, null, 200);
        call("GET", P + "/runs/" + receipt.get("runId").asText(), null, 200);
        return receipt.get("runId").asText();
    }

    /** One run through leases, heartbeats, signals, steps, a child, a token and a suspend; returns it. */
    private String workersAndOrchestration() throws Exception {
        cancelQueued();
        String runId = call("POST", TRIGGER, "{\"input\":{\"n\":3},\"priority\":100}", 202).json().get("runId")
                .asText();
        JsonNode lease = lease();
        assertThat(lease.get("runId").asText()).isEqualTo(runId);
        String token = lease.get("leaseToken").asText();
        String run = P + "/runs/" + runId;
        call("GET", P + "/workers", null, 200);
        call("POST", run + "/heartbeat", "{\"leaseToken\":\"stale\"}", 409);
        call("POST", run + "/events", "{\"leaseToken\":\"" + token + "\",\"events\":[{\"type\":\"progress\","
                + "\"data\":{\"pct\":50}},{\"type\":\"log\",\"data\":\"hello\"}]}", 200);
        call("POST", run + "/events", "{\"leaseToken\":\"" + token + "\",\"events\":[]}", 400);
        JsonNode message = call("POST", run + "/signals", "{\"type\":\"user.message\",\"data\":{\"text\":\"hi\"},"
                + "\"severity\":\"warning\"}", 202).json();
        call("POST", run + "/heartbeat", "{\"leaseToken\":\"" + token + "\"}", 200);
        call("GET", run + "/messages", null, 200);
        call("POST", run + "/messages/" + message.get("messageId").asText() + "/ack", "{\"leaseToken\":\"" + token
                + "\"}", 200);
        call("POST", run + "/steps/fetch%2F1", "{\"leaseToken\":\"" + token + "\",\"output\":{\"rows\":3}}", 200);
        call("POST", run + "/steps/fetch%2F1", "{\"leaseToken\":\"" + token + "\",\"output\":{\"rows\":4}}", 200);
        call("GET", run + "/steps?limit=1", null, 200);
        String child = "{\"leaseToken\":\"" + token + "\",\"step\":\"kid\",\"service\":\"other\",\"input\":{}}";
        call("POST", run + "/children", child, 202);
        call("POST", run + "/children", child, 200);
        JsonNode created = call(api, "POST", P + "/waitpoints", "{\"timeoutSeconds\":600,\"idempotencyKey\":\"wp\","
                + "\"tags\":[\"docs\"],\"runId\":\"" + runId + "\"}", Map.of(), 201).json();
        call("POST", P + "/waitpoints", "{\"timeoutSeconds\":600,\"idempotencyKey\":\"wp\",\"tags\":[\"docs\"],"
                + "\"runId\":\"" + runId + "\"}", 200);
        String waitpointId = created.get("waitpointId").asText();
        call("GET", P + "/waitpoints?status=pending&limit=5", null, 200);
        call("GET", P + "/waitpoints/" + waitpointId, null, 200);
        call("POST", run + "/suspend", "{\"leaseToken\":\"" + token + "\",\"step\":\"now\",\"waitpoints\":[{\"kind\":"
                + "\"duration\",\"seconds\":0}]}", 200);
        call("POST", run + "/suspend", "{\"leaseToken\":\"" + token + "\",\"step\":\"approve\",\"waitpoints\":"
                + "[{\"kind\":\"token\",\"waitpointId\":\"" + waitpointId + "\"}],\"onTimeout\":\"fail\","
                + "\"timeoutSeconds\":600}", 200);
        String callback = URI.create(created.get("callbackUrl").asText()).getPath();
        call(api.withKey(null), "POST", callback, "{\"approved\":true}", Map.of(), 200);
        call(api.withKey(null), "POST", "/v1/callbacks/wpc_nope", "{}", Map.of(), 404);
        call("POST", P + "/waitpoints/" + waitpointId + "/complete", "{\"data\":{\"approved\":true}}", 200);
        call("POST", P + "/waitpoints/" + waitpointId + "/complete", "{\"data\":{\"approved\":false}}", 409);
        String other = call("POST", P + "/waitpoints", null, 201).json().get("waitpointId").asText();
        call("POST", P + "/waitpoints/" + other + "/complete", "{\"data\":null}", 200);
        // resumed: leased again (children of the other service stay queued), with its steps and results
        JsonNode again = lease();
        assertThat(again.get("runId").asText()).isEqualTo(runId);
        String second = again.get("leaseToken").asText();
        call("POST", run + "/complete", "{\"leaseToken\":\"" + second + "\",\"output\":{\"ok\":true}}", 200);
        call("POST", run + "/complete", "{\"leaseToken\":\"" + second + "\",\"output\":{\"ok\":true}}", 200);
        call("POST", run + "/complete", "{\"leaseToken\":\"" + second + "\",\"output\":{\"ok\":false}}", 409);
        call("POST", run + "/signals", "{\"type\":\"late\"}", 409);

        String failing = call("POST", TRIGGER, "{\"input\":{}}", 202).json().get("runId").asText();
        String failToken = lease().get("leaseToken").asText();
        call("POST", P + "/runs/" + failing + "/fail", "{\"leaseToken\":\"" + failToken + "\",\"error\":{\"code\":"
                + "\"boom\",\"message\":\"it broke\",\"detail\":{\"line\":3}},\"retryable\":false}", 200);
        return runId;
    }

    private void batchedWorkerCalls() {
        String one = call("POST", TRIGGER, "{\"input\":{}}", 202).json().get("runId").asText();
        String two = call("POST", TRIGGER, "{\"input\":{}}", 202).json().get("runId").asText();
        String t1 = lease().get("leaseToken").asText();
        String t2 = lease().get("leaseToken").asText();
        call("POST", P + "/workers/heartbeat", "{\"items\":[{\"runId\":\"" + one + "\",\"leaseToken\":\"" + t1
                + "\"},{\"runId\":\"" + two + "\",\"leaseToken\":\"stale\"}]}", 200);
        call("POST", P + "/runs:complete", "{\"items\":[{\"runId\":\"" + one + "\",\"leaseToken\":\"" + t1
                + "\",\"output\":1},{\"runId\":\"run_nope\",\"leaseToken\":\"x\"}]}", 200);
        call("POST", P + "/runs:fail", "{\"items\":[{\"runId\":\"" + two + "\",\"leaseToken\":\"" + t2
                + "\",\"error\":{\"code\":\"c\",\"message\":\"m\"},\"retryable\":true}]}", 200);
        call("POST", P + "/runs:complete", "{\"items\":[]}", 400);
    }

    private void readsAndStreams(String queued, String done) {
        String run = P + "/runs/" + done;
        call("GET", run + "/events?after=1&limit=3", null, 200);
        call(api, "GET", run + "/events", null, Map.of("Accept", "application/x-ndjson"), 200);
        call("GET", run + "/stream", null, 200);
        call(api, "GET", run + "/stream", null, Map.of("Last-Event-ID", "2"), 200);
        call("GET", run + "/wait?timeoutSeconds=5", null, 200);
        call("GET", P + "/runs/" + queued + "/wait?timeoutSeconds=0", null, 200);
        call("GET", run + "/wait?timeoutSeconds=301", null, 400);
        call("POST", run + "/projection/rebuild", null, 200);

        // a browser's way in: a run access token as ?access_token=, messages without event names,
        // and the 204 that closes an EventSource once the run has ended
        String token = call("POST", run + "/access-tokens", "{\"ttlSeconds\":60}", 201).json().get("token").asText();
        call("POST", run + "/access-tokens", "{\"ttlSeconds\":0}", 400);
        Http browser = api.withKey(null);
        String query = "?access_token=" + token;
        call(browser, "GET", run + query, null, Map.of(), 200);
        call(browser, "GET", run + "/stream" + query + "&eventNames=false", null, Map.of(), 200);
        long last = call(browser, "GET", run + query, null, Map.of(), 200).json().get("lastSeq").asLong();
        call(browser, "GET", run + "/stream" + query, null, Map.of("Last-Event-ID", String.valueOf(last)), 204);
        call(browser, "GET", P + "/runs/" + queued + query, null, Map.of(), 404);
        call(browser, "POST", run + "/cancel" + query, null, Map.of(), 403);
    }

    private void cancelsAndReplays() {
        String queued = call("POST", TRIGGER, "{\"input\":{}}", 202).json().get("runId").asText();
        call("POST", P + "/runs/" + queued + "/cancel", "{\"reason\":\"docs\",\"cascade\":false}", 200);
        String running = call("POST", TRIGGER, "{\"input\":{}}", 202).json().get("runId").asText();
        lease();
        call("POST", P + "/runs/" + running + "/cancel", null, 202);
        call("POST", P + "/services/" + SERVICE + "/runs:cancel", "{\"idempotencyKey\":\"later\"}", 202);
        call("POST", P + "/services/" + SERVICE + "/runs:cancel", "{\"idempotencyKey\":\"docs-1\",\"reason\":\"r\"}",
                200);
        call("POST", P + "/services/" + SERVICE + "/runs:cancel", "{}", 400);
        call("POST", P + "/runs/" + queued + "/replay", "{\"input\":{\"n\":9}}", 202);
    }

    private void batchesWebhooksSchedulesAndBulk() {
        JsonNode batch = call("POST", P + "/services/" + SERVICE + "/batches", "{\"items\":[{\"input\":{\"n\":1}},"
                + "{\"input\":{\"n\":2},\"idempotencyKey\":\"b2\"}]}", 202).json();
        call("GET", P + "/batches/" + batch.get("batchId").asText(), null, 200);
        call("GET", P + "/batches/nope", null, 404);
        call("POST", P + "/services/" + SERVICE + "/batches", "{\"items\":[{\"input\":1,\"onDisconnect\":\"x\"}]}",
                400);

        String hook = P + "/webhooks/hook";
        call("PUT", hook, "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"run.succeeded\"]}", 201);
        call("PUT", hook, "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"run.*\"],\"enabled\":false}", 200);
        call("PUT", P + "/webhooks/alerts", "{\"url\":\"http://127.0.0.1:9/alerts\",\"kind\":\"alert\","
                + "\"windowSeconds\":60}", 201);
        call("GET", hook, null, 200);
        call("GET", P + "/webhooks", null, 200);
        call("GET", hook + "/deliveries?status=pending&limit=10", null, 200);
        call("DELETE", hook, null, 204);
        call("GET", hook, null, 404);
        redeliveries();

        String schedule = P + "/schedules/nightly";
        call("PUT", schedule, "{\"service\":\"" + SERVICE + "\",\"cron\":\"0 3 * * *\",\"input\":{\"n\":1},"
                + "\"overlap\":\"skip\"}", 201);
        call("PUT", schedule, "{\"service\":\"" + SERVICE + "\",\"cron\":\"0 4 * * *\",\"timezone\":"
                + "\"Europe/Paris\",\"enabled\":false,\"catchUp\":\"none\"}", 422);
        call("PUT", schedule, "{\"service\":\"" + SERVICE + "\",\"cron\":\"0 4 * * *\",\"timezone\":"
                + "\"Europe/Paris\",\"input\":{},\"enabled\":false,\"catchUp\":\"none\"}", 200);
        call("GET", schedule, null, 200);
        call("GET", P + "/schedules", null, 200);
        call("DELETE", schedule, null, 204);

        call("POST", P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"status\":\"accepted\"},\"dryRun\":true}",
                200);
        JsonNode action = call("POST", P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"tag\":\"none\","
                + "\"health\":\"stuck\",\"stuckAfterSeconds\":60},\"reason\":\"docs\"}", 202).json();
        String id = action.get("bulkActionId").asText();
        call("GET", P + "/bulk-actions/" + id, null, 200);
        call("GET", P + "/bulk-actions?limit=5", null, 200);
        call("POST", P + "/bulk-actions/" + id + "/cancel", null, 200);
        call("POST", P + "/bulk-actions", "{\"action\":\"explode\"}", 400);
    }

    /** A delivery that failed until it was dead: redelivered (202), refused while pending (409). */
    private void redeliveries() {
        String down = P + "/webhooks/down";
        call("PUT", down, "{\"url\":\"http://127.0.0.1:9/down\",\"events\":[\"run.accepted\"]}", 201);
        call("POST", P + "/services/other/runs", "{\"input\":{}}", 202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> api.get(down + "/deliveries?status=dead")
                .json().get("items").size() == 1);
        String deliveryId = call("GET", down + "/deliveries", null, 200).json().get("items").get(0)
                .get("deliveryId").asText();
        call("GET", down, null, 200);
        call("POST", down + "/deliveries/" + deliveryId + "/redeliver", null, 202);
        call("POST", down + "/deliveries/" + deliveryId + "/redeliver", "{}", 409);
        call("POST", down + "/deliveries/msg_nope/redeliver", null, 404);
        call("POST", down + "/deliveries/" + deliveryId + "/redeliver", "{\"x\":1}", 400);
        call("DELETE", down, null, 204);
    }

    /** The streaming trigger: the answer ends with the run, which a worker completes meanwhile. */
    private void triggerAndStream() throws Exception {
        call("PUT", P + "/services/streamed", null, 200);
        String trigger = P + "/services/streamed/runs:stream";
        HttpRequest request = api.request(trigger).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"n\":5},\"onDisconnect\":\"detach\"}"))
                .build();
        CompletableFuture<HttpResponse<String>> streaming = Http.client().sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        JsonNode lease = eventuallyLeased();
        call("POST", P + "/runs/" + lease.get("runId").asText() + "/complete", "{\"leaseToken\":\""
                + lease.get("leaseToken").asText() + "\",\"output\":null}", 200);
        HttpResponse<String> response = streaming.get(30, TimeUnit.SECONDS);
        documented.check("POST", trigger, new Http.Reply(response.statusCode(), response, null));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("event: run.accepted", "event: run.succeeded");
    }

    private void operations() {
        call(api.withKey(null), "GET", "/health/live", null, Map.of(), 200);
        call(api.withKey(null), "GET", "/health/ready", null, Map.of(), 200);
        call("GET", "/metrics", null, 200);
        call(api.withKey(null), "GET", "/metrics", null, Map.of(), 401);
    }

    private void cancelQueued() {
        for (JsonNode r : call("GET", P + "/runs?status=accepted", null, 200).json().get("items")) {
            call("POST", P + "/runs/" + r.get("runId").asText() + "/cancel", null, 200);
        }
    }

    private JsonNode lease() {
        JsonNode leases = call("POST", P + "/workers/lease", "{\"workerId\":\"w1\",\"services\":[\"" + SERVICE
                + "\"],\"max\":1,\"waitSeconds\":0,\"version\":\"1.0\",\"capabilities\":{\"gpu\":false}}", 200)
                .json().get("leases");
        assertThat(leases).hasSize(1);
        return leases.get(0);
    }

    /** A lease poll that waits for the run the streaming trigger registers. */
    private JsonNode eventuallyLeased() {
        JsonNode leases = call("POST", P + "/workers/lease", "{\"workerId\":\"w2\",\"services\":[\"streamed\"],"
                + "\"waitSeconds\":20}", 200).json().get("leases");
        assertThat(leases).hasSize(1);
        return leases.get(0);
    }

    private Http.Reply call(String method, String path, String body, int status) {
        return call(api, method, path, body, Map.of(), status);
    }

    private Http.Reply call(Http http, String method, String path, String body, Map<String, String> headers,
                            int status) {
        Http.Reply reply = http.send(method, path, body, headers);
        assertThat(reply.status()).as("%s %s: %s", method, path, reply).isEqualTo(status);
        return documented.check(method, path, reply);
    }
}
