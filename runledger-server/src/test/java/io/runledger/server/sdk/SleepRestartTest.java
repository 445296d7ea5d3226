package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.core.internal.db.ListenPort;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code sleep(name, 2 s)} is durable: the server is stopped while the run sleeps and a new
 * engine and server start on the same port and database; the run resumes 2 s after it went
 * to sleep, give or take the maintenance interval, and its handler finishes once.
 */
class SleepRestartTest {
    private static final String SCOPE = "acme";
    private static final String SERVICE = "sleepy";
    private static final Duration MAINTENANCE = Duration.ofSeconds(1);

    @Test
    void aTwoSecondSleepResumesOnTimeAcrossAServerRestart() throws Exception {
        TestDatabase.truncate();
        int port = ListenPort.pick();
        FixedPortServer first = FixedPortServer.start(port, b -> b.backgroundLoops(true).queueInterval(MAINTENANCE));
        FixedPortServer second = null;
        Worker worker = null;
        try {
            RunLedgerClient admin = FixedPortServer.client(port, TestServer.ADMIN_KEY);
            admin.admin().scopePut(SCOPE);
            RunLedgerClient acme = FixedPortServer.client(port, admin.admin().keyCreate(SCOPE, null).key());
            acme.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(3, 30, null, null, null));
            AtomicInteger finished = new AtomicInteger();
            worker = Worker.builder(acme).scope(SCOPE).workerId("sleeper").concurrency(2)
                    .pollWait(Duration.ofSeconds(1))
                    .handle(SERVICE, (ctx, input) -> {
                        ctx.sleep("nap", Duration.ofSeconds(2));
                        finished.incrementAndGet();
                        return JsonNodeFactory.instance.objectNode().put("rested", true);
                    }).build().start();
            String runId = acme.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(null)).runId();
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> acme.runs().get(SCOPE, runId).status() == RunStatus.WAITING);

            first.close(); // the instance that would have woken it at the due time is gone
            first = null;
            second = FixedPortServer.start(port, b -> b.backgroundLoops(true).queueInterval(MAINTENANCE));

            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> acme.runs().get(SCOPE, runId).status() == RunStatus.SUCCEEDED);
            List<RunEvent> events = acme.runs().events(SCOPE, runId, 0, 100).items();
            assertThat(events).extracting(RunEvent::type).containsExactly("run.accepted", "run.started",
                    "run.waiting", "run.resumed", "run.started", "run.succeeded");
            Instant slept = events.get(2).createdAt();
            Instant woke = events.get(3).createdAt();
            assertThat(woke).isAfterOrEqualTo(slept.plusSeconds(2))
                    .isBefore(slept.plusSeconds(2).plus(MAINTENANCE).plusMillis(750));
            assertThat(finished.get()).isEqualTo(1);
        } finally {
            if (worker != null) {
                worker.close();
            }
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }
}
