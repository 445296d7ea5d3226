package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET .../events} with {@code Accept: application/x-ndjson} streams the whole
 * ledger. A 100,000-event ledger (about 21 MB of JSON lines) is exported by a server process
 * whose heap is capped at 32 MB: loading the ledger in memory could not fit, streaming does.
 */
class ExportHttpTest extends ServerTestBase {
    private static final int EVENTS = 100_000;

    @Test
    void aHundredThousandEventLedgerExportsWithAFlatHeap(@TempDir Path dataDir) throws Exception {
        String runId = triggerRun();
        leaseOne("w");
        // Seed the ledger in one statement (run.accepted and run.started exist as seq 1, 2).
        TestDatabase.sql("insert into run_events (scope_id, run_id, seq, type, data, created_at)"
                + " select 'acme', '" + runId + "', g, 'output.delta',"
                + " jsonb_build_object('text', 'token ' || g || ' of a long answer that keeps streaming in',"
                + " 'i', g), now() from generate_series(3, " + (EVENTS + 2) + ") g;"
                + " update runs set last_seq = " + (EVENTS + 2) + " where run_id = '" + runId + "'");

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), "io.runledger.server.cli.Main", "serve",
                "--port", "0", "--data-dir", dataDir.toString(), "--database-url", TestDatabase.jdbcUrl(),
                "--admin-key", TestServer.ADMIN_KEY)
                .redirectErrorStream(true);
        builder.environment().put("RUNLEDGER_DATABASE_USER", TestDatabase.user());
        builder.environment().put("RUNLEDGER_DATABASE_PASSWORD", TestDatabase.password());
        Process server = builder.start();
        server.getOutputStream().close();
        try {
            String url = null;
            StringBuilder log = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (url == null && System.nanoTime() < deadline) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                log.append(line).append('\n');
                if (line.startsWith("RunLedger listening on ")) {
                    url = line.substring("RunLedger listening on ".length()).strip();
                }
            }
            assertThat(url).as("the child server started; it said:%n%s", log).isNotNull();
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its log

            Http child = new Http(url, TestServer.ADMIN_KEY);
            HttpResponse<InputStream> response = Http.client().send(child.request(P + "/runs/" + runId + "/events")
                    .header("Accept", "application/x-ndjson").timeout(Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
            long expected = 1;
            long bytes = 0;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    bytes += line.length() + 1;
                    long seq = Http.JSON.readTree(line).get("seq").asLong();
                    assertThat(seq).isEqualTo(expected);
                    expected++;
                }
            }
            assertThat(expected - 1).isEqualTo(EVENTS + 2);
            assertThat(bytes).as("the export is far larger than the heap could hold as objects").isGreaterThan(20L * 1024 * 1024);
            assertThat(server.isAlive()).as("the 32 MB server survived the export").isTrue();
            assertThat(child.get(P + "/runs/run_missing/events").code()).isEqualTo("run_not_found");
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
