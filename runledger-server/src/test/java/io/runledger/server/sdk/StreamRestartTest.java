package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RunEvent;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.client.EventStream;
import io.runledger.client.RunLedgerClient;
import io.runledger.core.internal.db.ListenPort;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The client's {@code runs().follow} stream hands out every event of a run exactly once and in order
 * while the server it reads from is stopped mid-run and a new engine and server start on
 * the same port and database: it resumes with {@code Last-Event-ID} by itself.
 */
class StreamRestartTest {
    private static final String SCOPE = "acme";
    private static final String SERVICE = "work";
    private static final int BEFORE = 10;
    private static final int AFTER = 10;

    @Test
    void theStreamSeesEveryEventOnceAcrossAServerRestart() throws Exception {
        TestDatabase.truncate();
        int port = ListenPort.pick();
        FixedPortServer first = FixedPortServer.start(port);
        FixedPortServer second = null;
        Thread reader = null;
        EventStream stream = null;
        try {
            RunLedgerClient admin = FixedPortServer.client(port, TestServer.ADMIN_KEY);
            admin.admin().scopePut(SCOPE);
            RunLedgerClient acme = FixedPortServer.client(port, admin.admin().keyCreate(SCOPE, null).key());
            acme.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(3, 60, null, null, null));
            String runId = acme.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(null)).runId();
            Lease lease = acme.workers().lease(SCOPE, LeaseRequest.of("w1", List.of(SERVICE), 1, Duration.ofSeconds(5)))
                    .get(0);

            // The stream's own client: nothing shared with the worker's connections.
            List<RunEvent> seen = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            EventStream s = (EventStream) FixedPortServer.client(port, TestServer.ADMIN_KEY).runs()
                    .follow(SCOPE, runId, 0);
            stream = s;
            reader = Thread.ofPlatform().name("stream-reader").start(() -> {
                try {
                    s.forEach(seen::add);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });

            for (int i = 1; i <= BEFORE; i++) {
                progress(acme, runId, lease, i);
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2 + BEFORE);

            first.close();
            first = null;
            second = FixedPortServer.start(port);

            for (int i = BEFORE + 1; i <= BEFORE + AFTER; i++) {
                progress(acme, runId, lease, i);
            }
            acme.workers().complete(SCOPE, runId, lease.leaseToken(), null);

            reader.join(Duration.ofSeconds(30));
            assertThat(reader.isAlive()).as("the stream ended after the terminal event").isFalse();
            assertThat(failure.get()).isNull();
            int total = 2 + BEFORE + AFTER + 1;
            assertThat(seen).extracting(RunEvent::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(seen).extracting(e -> e.data() == null ? null : e.data().path("i").asInt())
                    .containsSubsequence(1, 2, BEFORE, BEFORE + 1, BEFORE + AFTER);
            assertThat(seen.getLast().type()).isEqualTo("run.succeeded");
            assertThat(s.reconnects()).isGreaterThanOrEqualTo(1);
            System.out.println("stream across a restart: " + seen.size() + " events, " + s.reconnects()
                    + " reconnect(s)");
        } finally {
            if (stream != null) {
                stream.close();
            }
            if (reader != null) {
                reader.interrupt();
            }
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }

    private static void progress(RunLedgerClient c, String runId, Lease lease, int i) {
        c.workers().append(SCOPE, runId, lease.leaseToken(), List.of(new EventDraft("progress",
                io.runledger.server.testing.Http.JSON.createObjectNode().put("i", i))));
    }
}
