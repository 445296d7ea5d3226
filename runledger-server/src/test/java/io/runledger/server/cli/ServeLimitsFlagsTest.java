package io.runledger.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runledger.core.internal.secret.SecretFileException;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve} flags for held-request bounds and for who may read {@code /metrics}. */
class ServeLimitsFlagsTest {
    private static final String ADMIN = "rla_flags-test-key";

    @TempDir
    Path dataDir;

    @Test
    void boundsAndMetricsFlagsReachTheServer() throws Exception {
        TestDatabase.truncate();
        Path tokenFile = dataDir.resolve("metrics.token");
        Files.writeString(tokenFile, "scrape-me\n");
        String databaseUrl = TestDatabase.jdbcUrl() + "?user=" + TestDatabase.user() + "&password="
                + TestDatabase.password();

        // A token file others may read is refused before anything starts, naming the remedy.
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        ServeCommand open = new ServeCommand();
        new CommandLine(open).parseArgs("--port", "0", "--data-dir", dataDir.toString(), "--database-url",
                databaseUrl, "--admin-key", ADMIN, "--metrics-token-file", tokenFile.toString());
        assertThatThrownBy(() -> open.start(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(SecretFileException.class).hasMessageContaining("chmod 600")
                .hasMessageNotContaining("scrape-me");

        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--port", "0", "--data-dir", dataDir.toString(),
                "--database-url", databaseUrl, "--admin-key", ADMIN,
                "--max-lease-polls-per-key", "1", // the scope's bound follows: 4
                "--max-streams-per-key", "500", // above the default scope bound (400): that follows too
                "--metrics-token-file", tokenFile.toString(), "--metrics-scope-labels");
        serve.start(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            Http admin = new Http("http://127.0.0.1:" + serve.port(), ADMIN);
            assertThat(admin.put("/v1/scopes/acme", null).status()).isEqualTo(201);
            assertThat(admin.put("/v1/scopes/acme/services/idle", "{}").status()).isEqualTo(200);

            String poll = "{\"workerId\":\"w\",\"services\":[\"idle\"],\"waitSeconds\":2}";
            CompletableFuture<Http.Reply> first = CompletableFuture.supplyAsync(
                    () -> admin.post("/v1/scopes/acme/workers/lease", poll));
            await().atMost(Duration.ofSeconds(5)).until(() -> serve.server().held()
                    .heldInScope(HeldRequests.Kind.LEASE_POLL, "acme") == 1);
            assertThat(admin.post("/v1/scopes/acme/workers/lease", poll).status()).isEqualTo(429);
            assertThat(first.get().status()).isEqualTo(200);

            Http token = admin.withKey("scrape-me");
            assertThat(token.get("/metrics").status()).isEqualTo(200);
            assertThat(new Http(admin.baseUrl(), null).get("/metrics").status()).isEqualTo(401);
            assertThat(admin.post("/v1/scopes/acme/services/idle/runs", "{\"input\":1}").status()).isEqualTo(202);
            assertThat(token.get("/metrics").response().body())
                    .contains("runledger_runs_triggered_total{scope=\"acme\",service=\"idle\"} 1.0");
        } finally {
            serve.stop();
        }
    }
}
