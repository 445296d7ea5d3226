package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.server.testing.ServerTestBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A worker whose clock is a minute behind the server's keeps a 3-second lease alive
 * through a 5-second run: it paces heartbeats by the server's clock (from the Date
 * headers), not by its own, which would space them 21 s apart and lose the lease. (The
 * skew is the client's injected clock, which is what the worker reads time from.)
 */
class ClockSkewTest extends ServerTestBase {
    private static final Duration RUN_TIME = Duration.ofSeconds(5);

    @Override
    protected String serviceSpec() {
        return "{\"maxAttempts\":2,\"leaseTtlSeconds\":3}";
    }

    @Test
    void aWorkerWithAClockAMinuteBehindKeepsItsLease() {
        RunLedgerClient client = RunLedgerClient.builder().url(server.server.url())
                .key(api.post(P + "/keys", null).json().get("key").asText())
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-60))).build();
        try (Worker worker = Worker.builder(client).scope(SCOPE).pollWait(Duration.ofSeconds(1))
                .handle(SERVICE, (ctx, input) -> {
                    // Time must pass on purpose: the run has to outlive its 3 s lease by a margin
                    // (the test server sweeps every 200 ms), so only heartbeats paced by the
                    // server's clock keep it. Held for 5 s by this machine's unskewed clock.
                    Instant done = Instant.now().plus(RUN_TIME);
                    await().atMost(RUN_TIME.plusSeconds(5)).pollInterval(Duration.ofMillis(50))
                            .until(() -> !Instant.now().isBefore(done));
                    return JsonNodeFactory.instance.objectNode().put("attempt", ctx.attempt());
                }).build().start()) {
            String runId = triggerRun();
            // The client reads the server's clock off its answers, whatever its own says.
            client.runs().get(SCOPE, runId);
            assertThat(Duration.between(Instant.now(), client.serverNow()).abs()).isLessThan(Duration.ofMillis(1600));
            Run run = client.runs().await(SCOPE, runId, Duration.ofSeconds(20));
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.attempt()).isEqualTo(1);
            assertThat(client.runs().events(SCOPE, runId, 0, 100).items()).extracting(RunEvent::type)
                    .doesNotContain("run.lease_expired");
        }
    }
}
