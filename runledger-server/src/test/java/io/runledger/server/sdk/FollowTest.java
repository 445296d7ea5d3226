package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import io.runledger.client.EventStream;
import io.runledger.client.RunLedgerClient;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code runs().follow} and {@code runs().triggerAndFollow} of the client as an {@link EventFeed} over SSE. */
class FollowTest extends ServerTestBase {
    private RunLedgerClient client;

    @BeforeEach
    void connect() {
        client = RunLedgerClient.builder().url(server.server.url()).key(TestServer.ADMIN_KEY).build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void nextAnswersWhatArrivedWithinItsWaitAndEmptyAtOnceAfterTheTerminalEvent() {
        String runId = triggerRun();
        JsonNode lease = leaseOne("w1");
        try (EventFeed feed = client.runs().follow(SCOPE, runId, 0)) {
            List<String> seen = new ArrayList<>(types(feed.next(Duration.ofSeconds(10))));
            assertThat(seen).startsWith("run.accepted");
            while (!seen.contains("run.started")) {
                seen.addAll(types(feed.next(Duration.ofSeconds(10))));
            }

            long started = System.nanoTime();
            EventPage quiet = feed.next(Duration.ofMillis(300));
            assertThat(quiet.items()).as("nothing was appended").isEmpty();
            assertThat(quiet.nextAfter()).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));

            client.workers().append(SCOPE, runId, lease.get("leaseToken").asText(),
                    List.of(new EventDraft("progress", Http.JSON.createObjectNode().put("pct", 10))));
            EventPage progress = feed.next(Duration.ofSeconds(10));
            assertThat(types(progress)).containsExactly("progress");
            assertThat(progress.nextAfter()).isEqualTo(3);

            client.workers().complete(SCOPE, runId, lease.get("leaseToken").asText(), null);
            assertThat(types(feed.next(Duration.ofSeconds(10)))).containsExactly("run.succeeded");
            started = System.nanoTime();
            assertThat(feed.next(Duration.ofSeconds(10)).items()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void resumingAfterTheTerminalEventEndsAtOnce() {
        String runId = triggerRun();
        client.runs().cancel(SCOPE, runId, null);
        long last = client.runs().get(SCOPE, runId).lastSeq();
        try (EventStream stream = (EventStream) client.runs().follow(SCOPE, runId, last)) {
            long started = System.nanoTime();
            assertThat(stream.next(Duration.ofSeconds(10)).items()).isEmpty();
            assertThat(stream.iterator().hasNext()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(stream.lastSeq()).isEqualTo(last);
        }
    }

    @Test
    void aMissingRunIsReportedByTheFirstRead() {
        try (EventFeed feed = client.runs().follow(SCOPE, "run_nope", 0)) {
            assertThatThrownBy(() -> feed.next(Duration.ofSeconds(10))).isInstanceOf(NotFoundException.class)
                    .satisfies(e -> assertThat(((NotFoundException) e).code()).isEqualTo("run_not_found"));
        }
    }

    @Test
    void triggerAndFollowStartsWithTheRunsAcceptanceAndClosingItNeverCancels() {
        String runId;
        try (EventFeed feed = client.runs().triggerAndFollow(SCOPE, SERVICE,
                TriggerRequest.of(Http.JSON.createObjectNode().put("n", 1)))) {
            List<RunEvent> first = feed.next(Duration.ofSeconds(10)).items();
            assertThat(first).isNotEmpty();
            assertThat(first.getFirst().type()).isEqualTo("run.accepted");
            assertThat(first.getFirst().seq()).isEqualTo(1);
            runId = first.getFirst().runId();
        }
        assertThat(client.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(client.runs().await(SCOPE, runId, Duration.ofSeconds(1)).status()).isEqualTo(RunStatus.ACCEPTED);
    }

    @Test
    void aRefusedTriggerAndFollowThrowsAtTheCall() {
        assertThatThrownBy(() -> client.runs().triggerAndFollow(SCOPE, "nope", TriggerRequest.of(null)))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).code()).isEqualTo("service_not_found"));
    }

    private static List<String> types(EventPage page) {
        return page.items().stream().map(RunEvent::type).toList();
    }
}
