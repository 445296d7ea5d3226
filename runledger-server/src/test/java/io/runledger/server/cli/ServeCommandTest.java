package io.runledger.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.auth.AdminKey;
import io.runledger.server.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code runledger serve}: flags, the one listening line, and the admin key kept in the data dir. */
class ServeCommandTest {
    @TempDir
    Path dataDir;

    private ServeCommand command(String... extra) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args(extra));
        return serve;
    }

    private String[] args(String... extra) {
        String[] base = {"--port", "0", "--data-dir", dataDir.toString(),
                "--database-url", TestDatabase.jdbcUrl() + "?user=" + TestDatabase.user()
                        + "&password=" + TestDatabase.password()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return args;
    }

    /** What {@code runledger serve <args>} that refuses to start exits with and prints. */
    private record Refusal(int exitCode, String out, String err) {
    }

    private Refusal refused(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ServeCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        // A serve that does start would not return: fail instead of hanging.
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> cli.execute(args(extra)));
        return new Refusal(code, out.toString(), err.toString());
    }

    private static Path secretFile(Path file, String content, String mode) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static List<String> start(ServeCommand serve) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serve.start(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void firstStartGeneratesTheAdminKeyOnceAndKeepsIt() throws Exception {
        ServeCommand first = command();
        List<String> lines = start(first);
        String key;
        try {
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).isEqualTo("RunLedger listening on http://127.0.0.1:" + first.port());
            Path file = dataDir.resolve(AdminKey.FILE_NAME);
            key = Files.readString(file).strip();
            assertThat(lines.get(1)).contains(file.toString()).endsWith(key);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            Http http = new Http("http://127.0.0.1:" + first.port(), key);
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
            assertThat(http.get("/v1/scopes/nosuch/services").code()).isEqualTo("scope_not_found");
        } finally {
            first.stop();
        }

        ServeCommand second = command();
        List<String> again = start(second);
        try {
            assertThat(again).containsExactly("RunLedger listening on http://127.0.0.1:" + second.port());
            Http http = new Http("http://127.0.0.1:" + second.port(), key);
            assertThat(http.get("/v1/scopes/nosuch/services").code()).isEqualTo("scope_not_found");
        } finally {
            second.stop();
        }
    }

    @Test
    void anExplicitAdminKeyIsUsedAndNotPrinted() {
        ServeCommand serve = command("--admin-key", "rla_explicit-key", "--host", "127.0.0.1");
        List<String> lines = start(serve);
        try {
            assertThat(lines).containsExactly("RunLedger listening on http://127.0.0.1:" + serve.port());
            assertThat(Files.exists(dataDir.resolve(AdminKey.FILE_NAME))).isFalse();
            Http http = new Http("http://127.0.0.1:" + serve.port(), "rla_explicit-key");
            assertThat(http.get("/v1/scopes/nosuch/services").code()).isEqualTo("scope_not_found");
            assertThat(http.withKey("rla_other").get("/v1/scopes/nosuch/services").status()).isEqualTo(401);
        } finally {
            serve.stop();
        }
    }

    @Test
    void anAdminKeyFileIsUsedAndNotPrinted(@TempDir Path secrets) throws Exception {
        Path file = secretFile(secrets.resolve("admin-key"), "rla_from-a-file\n", "rw-------");
        ServeCommand serve = command("--admin-key-file", file.toString());
        List<String> lines = start(serve);
        try {
            assertThat(lines).containsExactly("RunLedger listening on http://127.0.0.1:" + serve.port());
            assertThat(dataDir.resolve(AdminKey.FILE_NAME)).doesNotExist();
            Http http = new Http("http://127.0.0.1:" + serve.port(), "rla_from-a-file");
            assertThat(http.get("/v1/scopes/nosuch/services").code()).isEqualTo("scope_not_found");
            assertThat(http.withKey("rla_other").get("/v1/scopes/nosuch/services").status()).isEqualTo(401);
        } finally {
            serve.stop();
        }
    }

    @Test
    void anAdminKeyFileOthersMayReadIsRefusedWithOneLine(@TempDir Path secrets) throws Exception {
        Path file = secretFile(secrets.resolve("admin-key"), "rla_secret-in-a-file\n", "rw-r-----");
        Refusal r = refused("--admin-key-file", file.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("runledger serve: " + file).contains("chmod 600").doesNotContain("rla_secret");
    }

    @Test
    void anEmptyAdminKeyFileIsRefusedWithOneLine(@TempDir Path secrets) throws Exception {
        Path file = secretFile(secrets.resolve("admin-key"), " \n", "rw-------");
        Refusal r = refused("--admin-key-file", file.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().lines()).singleElement().asString().isEqualTo("runledger serve: " + file + " is empty");
    }

    @Test
    void anAdminKeyInTheDataDirectoryOthersMayReadIsRefused() throws Exception {
        secretFile(dataDir.resolve(AdminKey.FILE_NAME), "rla_old-world-readable-key\n", "rw-r--r--");
        Refusal r = refused();
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().lines()).singleElement().asString()
                .contains(dataDir.resolve(AdminKey.FILE_NAME).toString()).contains("chmod 600")
                .doesNotContain("rla_old");
    }

    @Test
    void aNewAdminKeyFileIsPrivateAndWholeFromItsFirstMoment() throws Exception {
        Path file = dataDir.resolve(AdminKey.FILE_NAME);
        // Watches for the file's first appearance and looks at it at once: a file created
        // open, or created empty and written afterwards, would be caught here.
        CompletableFuture<String> firstSight = CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                    return mode + " " + Files.readString(file).strip();
                } catch (java.io.IOException notYet) {
                    Thread.onSpinWait();
                }
            }
            return "never seen";
        }, Executors.newVirtualThreadPerTaskExecutor());
        ServeCommand serve = command();
        start(serve);
        try {
            String key = Files.readString(file).strip();
            assertThat(firstSight.get(60, TimeUnit.SECONDS)).isEqualTo("rw------- " + key);
            try (var leftovers = Files.list(dataDir)) {
                assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        } finally {
            serve.stop();
        }
    }

    @Test
    void anOutOfRangeSettingIsRefusedWithOneLine() {
        Refusal r = refused("--admin-key", "rla_k", "--max-connections", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .isEqualTo("runledger serve: maxConnections must be at least 1");
        Refusal head = refused("--admin-key", "rla_k", "--request-head-timeout-seconds", "-1");
        assertThat(head.exitCode()).isEqualTo(2);
        assertThat(head.err().lines()).singleElement().asString().contains("requestHeadTimeout must be positive");
    }
}
