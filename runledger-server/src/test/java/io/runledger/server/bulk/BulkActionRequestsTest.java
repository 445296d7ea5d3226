package io.runledger.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Bulk actions over HTTP as a client sees them: 202 with a Location, the state's fields, the
 * background processing of a server with its loops on, and every bad request refused with
 * its code and nothing written. {@code GET /runs} with {@code createdAfter}/{@code createdBefore}.
 */
class BulkActionRequestsTest extends ServerTestBase {

    @Test
    void aCreatedActionIsAnswered202WithItsLocationAndRunsInTheBackground() {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runIds.add(triggerRun());
        }
        Http.Reply created = api.post(P + "/bulk-actions",
                "{\"action\":\"cancel\",\"filter\":{\"service\":\"work\",\"status\":\"accepted\"},\"reason\":\"r\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().get("bulkActionId").asText();
        assertThat(id).startsWith("bulk_");
        assertThat(created.header("Location")).isEqualTo(P + "/bulk-actions/" + id);
        JsonNode body = created.json();
        assertThat(body.get("action").asText()).isEqualTo("cancel");
        assertThat(body.get("matched").asInt()).isEqualTo(3);
        assertThat(body.get("filter").get("service").asText()).isEqualTo("work");
        assertThat(body.get("filter").get("status").asText()).isEqualTo("accepted");
        for (String field : List.of("reason", "status", "processed", "skipped", "failed", "createdAt", "updatedAt",
                "finishedAt")) {
            assertThat(body.has(field)).as(field).isTrue();
        }

        // the server's own loop processes it, woken by the create
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                api.get(created.header("Location")).json().get("status").asText().equals("completed"));
        JsonNode done = api.get(created.header("Location")).json();
        assertThat(done.get("processed").asInt()).isEqualTo(3);
        assertThat(done.get("finishedAt").isNull()).isFalse();
        for (String runId : runIds) {
            assertThat(run(runId).get("status").asText()).isEqualTo("cancelled");
        }
        Http.Reply list = api.get(P + "/bulk-actions?limit=1");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items").get(0).get("bulkActionId").asText()).isEqualTo(id);
        Http.Reply cancel = api.post(P + "/bulk-actions/" + id + "/cancel", null);
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(cancel.json().get("status").asText()).isEqualTo("completed");
    }

    @Test
    void listingRunsByCreationTimeReturnsExactlyTheWindow() {
        String first = triggerRun();
        String second = triggerRun();
        String third = triggerRun();
        String after = run(first).get("createdAt").asText();
        String before = run(third).get("createdAt").asText();
        Http.Reply window = api.get(P + "/runs?createdAfter=" + after + "&createdBefore=" + before);
        assertThat(window.status()).as(window.toString()).isEqualTo(200);
        assertThat(ids(window.json())).containsExactly(second);
        assertThat(ids(api.get(P + "/runs?createdAfter=" + after).json())).containsExactly(third, second);
        assertThat(ids(api.get(P + "/runs?createdBefore=" + before).json())).containsExactly(second, first);
        // an offset other than Z is the same instant
        String shifted = java.time.OffsetDateTime.parse(after).withOffsetSameInstant(
                java.time.ZoneOffset.ofHours(2)).toString().replace("+", "%2B");
        assertThat(ids(api.get(P + "/runs?createdAfter=" + shifted).json())).containsExactly(third, second);
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false).map(r -> r.get("runId").asText())
                .toList();
    }

    @Test
    void badRequestsAreRefusedWithTheirCodeAndWriteNothing() {
        triggerRun();
        assertThat(api.put("/v1/scopes/other", null).status()).isEqualTo(201);
        Http.Reply theirs = api.post("/v1/scopes/other/bulk-actions", "{\"action\":\"replay\"}");
        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(202);
        String theirId = theirs.json().get("bulkActionId").asText();
        long actions = TestDatabase.count("select count(*) from bulk_actions");

        refused(api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"filtre\":{}}"), 400, "unknown_field");
        refused(api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"owner\":\"x\"}}"), 400,
                "unknown_field");
        refused(api.post(P + "/bulk-actions", "{\"action\":\"delete\"}"), 400, "invalid_argument");
        refused(api.post(P + "/bulk-actions", "{\"filter\":{}}"), 400, "invalid_argument");
        refused(api.post(P + "/bulk-actions", "{\"action\":7}"), 400, "invalid_argument");
        refused(api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"status\":\"sleeping\"}}"), 400,
                "invalid_argument");
        refused(api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"createdAfter\":\"yesterday\"}}"),
                400, "invalid_argument");
        refused(api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"createdBefore\":\"2026-13-01T00:00:00Z\"}}"),
                400, "invalid_argument");
        refused(api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"service\":\"Bad!\"}}"), 400,
                "invalid_name");
        refused(api.post(P + "/bulk-actions", "{\"action\":\"cancel\",\"reason\":\"" + "x".repeat(1001) + "\"}"),
                400, "invalid_argument");
        refused(api.post(P + "/bulk-actions", "[1]"), 400, "invalid_json");
        refused(api.get(P + "/bulk-actions?limit=0"), 400, "invalid_argument");
        refused(api.get(P + "/bulk-actions?cursor=nonsense"), 400, "invalid_argument");
        refused(api.get(P + "/runs?createdAfter=yesterday"), 400, "invalid_argument");
        refused(api.get(P + "/runs?createdBefore=2026-01-01"), 400, "invalid_argument");

        refused(api.get(P + "/bulk-actions/" + theirId), 404, "bulk_action_not_found");
        refused(api.post(P + "/bulk-actions/" + theirId + "/cancel", null), 404, "bulk_action_not_found");
        refused(api.get(P + "/bulk-actions/bulk_nope"), 404, "bulk_action_not_found");
        refused(api.get(P + "/bulk-actions/bad%20id"), 404, "bulk_action_not_found");
        assertThat(TestDatabase.count("select count(*) from bulk_actions")).isEqualTo(actions);
        assertThat(api.get("/v1/scopes/other/bulk-actions/" + theirId).status()).isEqualTo(200);
    }

    private static void refused(Http.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.code()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }
}
