package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.store.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with {@code kill -9} mid-work, then a new process on the same data
 * directory: every acknowledged run and event is still there, and the run the dead
 * process was executing is recovered by the sweeper.
 */
class RestartTest {

    /** The child process: triggers runs on the embedded database, leases one, then hangs until killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            RunLedger ledger = RunLedger.builder().dataDirectory(Path.of(args[0])).backgroundLoops(false).build();
            ledger.admin().scopePut("acme");
            ledger.admin().servicePut("acme", "work", new ServiceSpec(3, 1, null, null, null, new io.runledger.api.RetryPolicy(0.0, 0.0, 1.0, 0.0)));
            for (int i = 0; i < 25; i++) {
                String runId = ledger.runs().trigger("acme", "work",
                        TriggerRequest.of(Json.MAPPER.createObjectNode().put("i", i))).runId();
                System.out.println("RECEIPT " + runId);
            }
            Lease lease = ledger.workers().lease("acme",
                    LeaseRequest.of("doomed", List.of("work"), 1, Duration.ZERO)).get(0);
            ledger.workers().append("acme", lease.runId(), lease.leaseToken(),
                    List.of(new io.runledger.api.EventDraft("progress", Json.MAPPER.createObjectNode().put("pct", 10))));
            System.out.println("LEASED " + lease.runId());
            System.out.flush();
            // Hang, holding the lease, until the parent kills this process with kill -9. The
            // parent never writes to or closes our stdin, so the read only returns (end of input)
            // if the test JVM itself is gone: then exit rather than linger as an orphan.
            while (System.in.read() != -1) {
                // nothing is ever written
            }
            System.exit(1);
        }
    }

    @Test
    void killNineThenRestartOnTheSameDataKeepsEveryRun(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        List<String> receipts = new ArrayList<>();
        String leased = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RECEIPT ")) {
                    receipts.add(line.substring(8));
                } else if (line.startsWith("LEASED ")) {
                    leased = line.substring(7);
                    break;
                }
            }
            assertThat(leased).as("child output before it was killed").isNotNull();
            // kill -9: no shutdown hook runs; the embedded postmaster is left orphaned
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(Files.exists(dir.resolve("pgdata/postmaster.pid"))).isTrue();

        try (RunLedger restarted = RunLedger.builder().dataDirectory(dir).backgroundLoops(false).build()) {
            List<String> listed = restarted.runs().list("acme", RunFilter.all().withLimit(200)).items().stream()
                    .map(Run::runId).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(receipts);
            List<RunEvent> events = restarted.runs().events("acme", leased, 0, 100).items();
            assertThat(events).extracting(RunEvent::type).containsExactly("run.accepted", "run.started", "progress");

            // the dead worker's run is recovered once its lease (1 s) expires
            String deadRun = leased;
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> restarted.maintenance().sweep().recovered() == 1);
            Run recovered = restarted.runs().get("acme", deadRun);
            assertThat(recovered.status()).isEqualTo(RunStatus.ACCEPTED);
            assertThat(recovered.attempt()).isEqualTo(2);
            for (String runId : receipts) {
                assertThat(restarted.runs().rebuildProjection("acme", runId).changed()).isFalse();
            }
        }
        // and a clean stop and start works as well, while a second engine on the same data
        // directory is refused instead of stopping the first one's database
        try (RunLedger again = RunLedger.builder().dataDirectory(dir).backgroundLoops(false).build()) {
            assertThat(again.runs().list("acme", RunFilter.all().withLimit(200)).items()).hasSize(receipts.size());
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    RunLedger.builder().dataDirectory(dir).backgroundLoops(false).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
            assertThat(again.runs().list("acme", RunFilter.all().withLimit(200)).items()).hasSize(receipts.size());
        }
    }
}
