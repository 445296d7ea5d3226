package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.Sse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runledger serve} as a real process on its embedded PostgreSQL: SIGTERM drains
 * streams and long polls and stops PostgreSQL last, quickly and without errors; a restart
 * after {@code kill -9} sweeps the dead process's expired leases before it listens.
 */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("RunLedger listening on (\\S+)");
    private static final String P = "/v1/scopes/acme";
    private static final int STREAMS = 50;
    private static final int POLLS = 10;

    @TempDir
    Path dir;

    @Test
    void sigtermDrainsStreamsAndPollsAndStopsPostgresLast() throws Exception {
        Path dataDir = dir.resolve("data");
        Path log = dir.resolve("serve.log");
        try (ChildJvm serve = serve(dataDir, log)) {
            Http admin = new Http(awaitUrl(serve), adminKey());
            setUp(admin, 60);
            Http worker = admin.withKey(admin.post(P + "/keys", null).json().get("key").asText());
            List<String> runIds = triggerAndLease(worker, STREAMS);

            List<Sse.Open> streams = new ArrayList<>();
            for (String runId : runIds) {
                streams.add(Sse.open(worker.request(P + "/runs/" + runId + "/stream").GET().build()));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> streams.stream().allMatch(s -> s.events().size() == 2));
            List<CompletableFuture<HttpResponse<String>>> polls = IntStream.range(0, POLLS)
                    .mapToObj(i -> Http.client().sendAsync(worker.request(P + "/workers/lease")
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(90))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"workerId\":\"poll-" + i
                                    + "\",\"services\":[\"work\"],\"max\":1,\"waitSeconds\":60}")).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .toList();
            // Each poll records its worker as it arrives, then waits: all ten are waiting.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pollers(admin) == POLLS);
            assertThat(polls).noneMatch(CompletableFuture::isDone);

            long start = System.nanoTime();
            serve.process().destroy(); // SIGTERM
            boolean exited = serve.process().waitFor(10, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            if (!exited) {
                throw new AssertionError("serve did not exit within 10 s of SIGTERM; log:\n" + serve.output()
                        + "\nits threads:\n" + serve.threadDump());
            }
            assertThat(took).as("time to exit").isLessThan(Duration.ofSeconds(5));
            System.out.println("serve exited " + took.toMillis() + " ms after SIGTERM with " + STREAMS
                    + " streams and " + POLLS + " long polls open");
            for (Sse.Open s : streams) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> s.ended);
                assertThat(s.response.statusCode()).isEqualTo(200);
                assertThat(s.messages).noneMatch(m -> "error".equals(m.event()));
                assertThat(s.events()).extracting(Sse.Message::event)
                        .containsExactly("run.accepted", "run.started");
            }
            for (CompletableFuture<HttpResponse<String>> poll : polls) {
                HttpResponse<String> answer = poll.get(5, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(Http.JSON.readTree(answer.body()).get("leases")).isEmpty();
            }
            String output = serve.output();
            assertThat(output.lines()).as(output).noneMatch(l -> l.contains(" ERROR "))
                    .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:"));
            assertThat(output.indexOf("RunLedger server stopped")).as(output).isPositive()
                    .isLessThan(output.indexOf("RunLedger stopped"));
        }
    }

    @Test
    void aRestartAfterKillNineSweepsExpiredLeasesBeforeItListens() throws Exception {
        Path dataDir = dir.resolve("data");
        List<String> runIds;
        Instant expiry;
        try (ChildJvm first = serve(dataDir, dir.resolve("first.log"))) {
            Http admin = new Http(awaitUrl(first), adminKey());
            setUp(admin, 1);
            runIds = triggerAndLease(admin, 3);
            expiry = Instant.parse(admin.get(P + "/runs/" + runIds.getFirst()).json().get("leaseExpiresAt").asText());
            first.kill(); // kill -9: no shutdown hook, its leases stay as they are
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expiry.plusMillis(500)));

        try (ChildJvm second = serve(dataDir, dir.resolve("second.log"))) {
            Http admin = new Http(awaitUrl(second), adminKey());
            String output = second.output();
            int sweep = output.indexOf("boot sweep: recovered=3, failed=0, cancelled=0");
            assertThat(sweep).as(output).isPositive();
            assertThat(sweep).isLessThan(output.indexOf("RunLedger server listening on"));
            assertThat(output).containsPattern("schema at version \\d+ \\(0 migrations applied now\\)")
                    .doesNotContain("version null");
            for (String runId : runIds) {
                JsonNode run = admin.get(P + "/runs/" + runId).json();
                assertThat(run.get("status").asText()).isEqualTo("accepted");
                assertThat(run.get("attempt").asInt()).isEqualTo(2);
            }
        }
    }

    private ChildJvm serve(Path dataDir, Path log) throws Exception {
        Path keyFile = dir.resolve("admin.key.secret");
        if (!Files.exists(keyFile)) {
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, adminKey() + "\n");
        }
        // The server's own logging configuration, not the tests' quieter one: its log is checked.
        Path logback = Path.of(ServeProcessTest.class.getResource("/logback.xml").toURI());
        return ChildJvm.start(dir, log, Map.of("RUNLEDGER_ADMIN_KEY_FILE", keyFile.toString(),
                        "JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=" + logback),
                List.of("serve", "--port", "0", "--data-dir", dataDir.toString()));
    }

    private static String adminKey() {
        return "rla_serve-process-test-key";
    }

    private static String awaitUrl(ChildJvm serve) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> LISTENING.matcher(serve.output()).find()
                || !serve.process().isAlive());
        Matcher m = LISTENING.matcher(serve.output());
        assertThat(m.find()).as("serve started; it said:%n%s", serve.output()).isTrue();
        return m.group(1);
    }

    private static void setUp(Http admin, int leaseTtlSeconds) {
        assertThat(admin.put(P, null).status()).isEqualTo(201);
        // No retry backoff: a recovered run is back in the queue at once, as the restart test expects.
        assertThat(admin.put(P + "/services/work", "{\"maxAttempts\":3,\"leaseTtlSeconds\":" + leaseTtlSeconds
                + ",\"retry\":{\"initialDelaySeconds\":0,\"jitter\":0}}").status()).isEqualTo(200);
    }

    /** Triggers {@code n} runs and leases them all: they are running. */
    private static List<String> triggerAndLease(Http http, int n) {
        for (int i = 0; i < n; i++) {
            Http.Reply r = http.post(P + "/services/work/runs", "{\"input\":{\"i\":" + i + "}}");
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
        }
        Http.Reply leased = http.post(P + "/workers/lease",
                "{\"workerId\":\"holder\",\"services\":[\"work\"],\"max\":" + n + ",\"waitSeconds\":0}");
        assertThat(leased.json().get("leases")).as(leased.toString()).hasSize(n);
        List<String> runIds = new ArrayList<>();
        leased.json().get("leases").forEach(l -> runIds.add(l.get("runId").asText()));
        return runIds;
    }

    private static long pollers(Http admin) {
        JsonNode workers = admin.get(P + "/workers").json();
        JsonNode items = workers.has("items") ? workers.get("items") : workers.get("workers");
        List<String> ids = new ArrayList<>();
        items.forEach(w -> ids.add(w.get("workerId").asText()));
        return ids.stream().filter(id -> id.startsWith("poll-")).count();
    }
}
