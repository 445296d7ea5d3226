package io.runledger.server.agentprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runledger.api.ApiKeys;
import io.runledger.api.ServiceSpec;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.db.ListenPort;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Node suite in {@code src/test/agent-protocol}: the LangGraph SDK (pinned, installed with
 * {@code npm ci} from the committed lock file, cached under {@code target/}) drives a real
 * server whose runs a real Java worker executes. Midway the suite asks for a restart (it
 * writes a file); this test then stops the server and starts another on the same port and
 * database while the suite's stream is open. Skipped without node and npm, except in CI
 * ({@code CI=true}), where their absence fails it.
 */
class LangGraphSdkTest {
    private static final Path SUITE = Path.of("src/test/agent-protocol");
    private static final Path WORK = Path.of("target/agent-protocol-node");
    private static final Path README = Path.of("../README.md");
    private static final String SCOPE = "sdk";
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(4);

    /** One engine and its server on a fixed port over the shared test database. */
    private record Instance(RunLedger ledger, RunLedgerServer server) implements AutoCloseable {
        static Instance start(int port) {
            RunLedger ledger = TestDatabase.ledgerBuilder().build();
            try {
                return new Instance(ledger, RunLedgerServer.builder(ledger).port(port)
                        .adminKeyHash(ApiKeys.hash(TestServer.ADMIN_KEY)).keepAlive(Duration.ofSeconds(1))
                        .stopTimeout(Duration.ofSeconds(2)).start());
            } catch (RuntimeException e) {
                ledger.close();
                throw e;
            }
        }

        @Override
        public void close() {
            server.close();
            ledger.close();
        }
    }

    @Test
    void theLangGraphSdkDrivesRunLedger() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean tools = available("node", "--version") && available("npm", "--version");
        if (ci) {
            assertThat(tools).as("node and npm are required in CI").isTrue();
        }
        assumeTrue(tools, "node and npm are not installed");
        installSuite();

        TestDatabase.truncate();
        int port = ListenPort.pick();
        String url = "http://127.0.0.1:" + port;
        AtomicReference<Instance> instance = new AtomicReference<>(Instance.start(port));
        SdkAssistants assistants = new SdkAssistants();
        Worker worker = null;
        Process node = null;
        Path restartRequest = WORK.resolve("restart.request");
        Files.deleteIfExists(restartRequest);
        try {
            RunLedgerClient admin = RunLedgerClient.builder().url(url).key(TestServer.ADMIN_KEY).build();
            admin.admin().scopePut(SCOPE);
            String key = admin.admin().keyCreate(SCOPE, "sdk-suite").key();
            RunLedgerClient client = RunLedgerClient.builder().url(url).key(key).build();
            for (String service : List.of("echo", "chat", "asker", "restart")) {
                client.admin().servicePut(SCOPE, service, new ServiceSpec(1, 30, null, null, null));
            }
            // A short lease: the worker heartbeats every second, so a cancel reaches it within one.
            client.admin().servicePut(SCOPE, "slow", new ServiceSpec(1, 3, null, null, null));
            worker = assistants.register(Worker.builder(client).scope(SCOPE).concurrency(8)
                    .pollWait(Duration.ofSeconds(1))).build().start();

            Path log = WORK.resolve("suite.log");
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-reporter=spec",
                    "test/").directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("RUNLEDGER_AP_URL", url + "/v1/scopes/" + SCOPE + "/ap");
            env.put("RUNLEDGER_KEY", key);
            env.put("RUNLEDGER_RESTART_REQUEST", restartRequest.toAbsolutePath().toString());
            env.put("RUNLEDGER_README", README.toAbsolutePath().normalize().toString());
            long started = System.nanoTime();
            node = pb.start();
            Process running = node;

            // The suite asks for the restart while its stream is open; the worker's run waits for it.
            await().atMost(SUITE_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(restartRequest) || !running.isAlive());
            boolean restarted = Files.exists(restartRequest);
            if (restarted) {
                instance.getAndSet(null).close();
                instance.set(Instance.start(port));
                assistants.restarted.countDown();
            }
            boolean exited = node.waitFor(SUITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(restarted).as("the suite asked for the restart:%n%s", output).isTrue();
            assertThat(exited).as("the suite ended in time:%n%s", output).isTrue();
            assertThat(node.exitValue()).as("the Node suite passed:%n%s", output).isZero();
            assertThat(output).containsPattern("(?m)^. pass 10$").containsPattern("(?m)^. fail 0$");
            System.out.printf("LangGraph SDK suite: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            if (node != null && node.isAlive()) {
                node.destroyForcibly();
            }
            if (worker != null) {
                worker.close();
            }
            Instance last = instance.get();
            if (last != null) {
                last.close();
            }
        }
    }

    /**
     * Copies the suite to {@code target/} and installs its packages there with {@code npm ci},
     * unless the same lock file was installed before.
     */
    private static void installSuite() throws Exception {
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.walk(SUITE)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Path target = WORK.resolve(SUITE.relativize(source).toString());
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String lock = sha256(Files.readAllBytes(SUITE.resolve("package-lock.json")));
        Path stamp = WORK.resolve("node_modules/.installed-lock");
        if (Files.exists(stamp) && Files.readString(stamp).equals(lock)) {
            return;
        }
        Path log = WORK.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = npm.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            npm.destroyForcibly();
        }
        assertThat(done && npm.exitValue() == 0).as("npm ci:%n%s", Files.readString(log)).isTrue();
        Files.writeString(stamp, lock);
    }

    private static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
