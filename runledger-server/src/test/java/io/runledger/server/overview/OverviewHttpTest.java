package io.runledger.server.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Overview;
import io.runledger.api.OverviewWindow;
import io.runledger.client.RunLedgerClient;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /overview}: per service and bucket, exactly the runs created and settled in the
 * window, where they happened; the failure rate and durations of the settled ones; the queue,
 * running and waiting runs now; and refusals of what it cannot answer.
 */
class OverviewHttpTest extends ServerTestBase {
    private static final String OTHER = "other";

    @Test
    void countsEachRunOnceInTheBucketsWhereItWasCreatedAndSettled() {
        assertThat(api.put(P + "/services/" + OTHER, "{\"maxAttempts\":1}").status()).isEqualTo(200);
        // work: 2 succeeded, 1 failed, 1 cancelled, 1 running, 2 queued; other: 1 queued
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            runs.add(triggerRun());
        }
        assertThat(api.post(P + "/services/" + OTHER + "/runs", "{\"input\":{}}").status()).isEqualTo(202);
        settle(leaseOne("w"), "complete", "{\"output\":1}");
        settle(leaseOne("w"), "complete", "{\"output\":2}");
        settle(leaseOne("w"), "fail", "{\"error\":{\"code\":\"x\",\"message\":\"no\"},\"retryable\":false}");
        leaseOne("w"); // the fourth stays running
        String queuedToCancel = runs.get(6);
        assertThat(api.post(P + "/runs/" + queuedToCancel + "/cancel", "{}").status()).isEqualTo(200);
        // One succeeded run happened 20 minutes ago: created 25, started 24, settled 20 minutes ago.
        String old = runs.get(0);
        TestDatabase.sql("update runs set created_at = now() - interval '25 minutes', started_at = now() - interval"
                + " '24 minutes', finished_at = now() - interval '20 minutes' where run_id = '" + old + "'");
        TestDatabase.forgetRunStats(); // history was rewritten: count it again

        JsonNode o = overview("1h");
        assertThat(o.get("window").asText()).isEqualTo("1h");
        assertThat(o.get("bucketSeconds").asLong()).isEqualTo(60);
        Instant from = Instant.parse(o.get("from").asText());
        Instant to = Instant.parse(o.get("to").asText());
        assertThat(from.getEpochSecond() % 60).isZero();
        assertThat(to).isAfterOrEqualTo(from.plusSeconds(59 * 60)).isBefore(from.plusSeconds(60 * 60));

        JsonNode work = service(o, SERVICE);
        assertThat(work.get("triggered").asLong()).isEqualTo(7);
        assertThat(work.get("succeeded").asLong()).isEqualTo(2);
        assertThat(work.get("failed").asLong()).isEqualTo(1);
        assertThat(work.get("cancelled").asLong()).isEqualTo(1);
        assertThat(work.get("expired").asLong()).isZero();
        assertThat(work.get("failureRate").asDouble()).isEqualTo(1.0 / 3);
        assertThat(work.get("queued").asLong()).isEqualTo(2);
        assertThat(work.get("oldestQueuedAgeSeconds").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(work.get("running").asLong()).isEqualTo(1);
        assertThat(work.get("waiting").asLong()).isZero();
        // the old run took 4 minutes; the two fast ones took far less: p95 near 4 minutes
        // (within the 5% of a duration bin)
        assertThat(work.get("durationP50Ms").asDouble()).isLessThan(60_000);
        assertThat(work.get("durationP95Ms").asDouble()).isBetween(240_000 * 0.95, 240_000 * 1.05);

        JsonNode buckets = work.get("buckets");
        assertThat(buckets).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(Instant.parse(buckets.get(i).get("start").asText())).isEqualTo(from.plusSeconds(i * 60L));
        }
        int oldCreated = bucketOf(from, to.minusSeconds(25 * 60));
        int oldSettled = bucketOf(from, to.minusSeconds(20 * 60));
        assertThat(buckets.get(oldCreated).get("triggered").asLong()).isEqualTo(1);
        assertThat(buckets.get(oldSettled).get("succeeded").asLong()).isEqualTo(1);
        assertThat(sum(buckets, "triggered")).isEqualTo(7);
        assertThat(sum(buckets, "succeeded")).isEqualTo(2);
        assertThat(sum(buckets, "failed")).isEqualTo(1);
        assertThat(sum(buckets, "cancelled")).isEqualTo(1);

        JsonNode other = service(o, OTHER);
        assertThat(other.get("triggered").asLong()).isEqualTo(1);
        assertThat(other.get("queued").asLong()).isEqualTo(1);
        assertThat(other.get("failureRate").isNull()).isTrue();
        assertThat(other.get("durationP50Ms").isNull()).isTrue();

        // The 15-minute window no longer holds the old run.
        JsonNode recent = service(overview("15m"), SERVICE);
        assertThat(recent.get("triggered").asLong()).isEqualTo(6);
        assertThat(recent.get("succeeded").asLong()).isEqualTo(1);
        assertThat(recent.get("buckets")).hasSize(30);
    }

    @Test
    void waitingRunsAreCountedNow() {
        String runId = triggerRun();
        JsonNode lease = leaseOne("w");
        Http.Reply token = api.post(P + "/waitpoints", "{\"timeoutSeconds\":86400}");
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        Http.Reply suspended = api.post(P + "/runs/" + runId + "/suspend", "{\"leaseToken\":\""
                + lease.get("leaseToken").asText() + "\",\"step\":\"approval\",\"waitpoints\":[{\"kind\":\"token\","
                + "\"waitpointId\":\"" + token.json().get("waitpointId").asText() + "\"}]}");
        assertThat(suspended.json().get("suspended").asBoolean()).as(suspended.toString()).isTrue();
        JsonNode work = service(overview("15m"), SERVICE);
        assertThat(work.get("waiting").asLong()).isEqualTo(1);
        assertThat(work.get("running").asLong()).isZero();
    }

    @Test
    void theJavaClientReadsWhatTheEngineAnswers() {
        triggerRun();
        settleFirst();
        RunLedgerClient client = RunLedgerClient.builder().url(server.server.url()).key(TestServer.ADMIN_KEY).build();
        Overview remote = client.admin().overview(SCOPE, OverviewWindow.HOURS_24);
        Overview local = server.ledger.admin().overview(SCOPE, OverviewWindow.HOURS_24);
        assertThat(remote.window()).isEqualTo(OverviewWindow.HOURS_24);
        assertThat(remote.from()).isEqualTo(local.from());
        assertThat(remote.services()).hasSize(1);
        Overview.ServiceOverview r = remote.services().get(0);
        Overview.ServiceOverview l = local.services().get(0);
        assertThat(r).usingRecursiveComparison().ignoringFields("oldestQueuedAgeSeconds").isEqualTo(l);
        assertThat(r.succeeded()).isEqualTo(1);
        assertThat(r.buckets()).hasSize(48);
    }

    private static void settleFirst() {
        settle(leaseOne("w"), "complete", "{\"output\":1}");
    }

    @Test
    void everyWindowHasItsBuckets() {
        assertThat(service(overview("24h"), SERVICE).get("buckets")).hasSize(48);
        assertThat(service(overview("7d"), SERVICE).get("buckets")).hasSize(42);
        assertThat(overview(null).get("window").asText()).isEqualTo("1h");
    }

    @Test
    void refusesAnUnknownWindowAndOtherScopes() {
        Http.Reply bad = api.get(P + "/overview?window=2h");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("code").asText()).isEqualTo("invalid_argument");

        assertThat(api.get("/v1/scopes/nosuch/overview").status()).isEqualTo(404);
        assertThat(api.put("/v1/scopes/" + OTHER, null).status()).isEqualTo(201);
        String otherKey = api.post("/v1/scopes/" + OTHER + "/keys", null).json().get("key").asText();
        Http.Reply foreign = new Http(server.server.url(), otherKey).get(P + "/overview");
        assertThat(foreign.status()).isIn(403, 404);
    }

    private static void settle(JsonNode lease, String how, String body) {
        String withToken = "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\"," + body.substring(1);
        Http.Reply r = api.post(P + "/runs/" + lease.get("runId").asText() + "/" + how, withToken);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private static JsonNode overview(String window) {
        Http.Reply r = api.get(P + "/overview" + (window == null ? "" : "?window=" + window));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode service(JsonNode overview, String name) {
        for (JsonNode s : overview.get("services")) {
            if (s.get("service").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + overview);
    }

    private static int bucketOf(Instant from, Instant at) {
        return (int) ((at.getEpochSecond() - from.getEpochSecond()) / 60);
    }

    private static long sum(JsonNode buckets, String field) {
        long total = 0;
        for (JsonNode b : buckets) {
            total += b.get(field).asLong();
        }
        return total;
    }
}
