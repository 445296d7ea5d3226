package io.runledger.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.auth.AdminKey;
import io.runledger.server.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code runledger serve}: flags, the one listening line, and the admin key kept in the data dir. */
class ServeCommandTest {
    @TempDir
    Path dataDir;

    private ServeCommand command(String... extra) {
        ServeCommand serve = new ServeCommand();
        String[] base = {"--port", "0", "--data-dir", dataDir.toString(),
                "--database-url", TestDatabase.jdbcUrl() + "?user=" + TestDatabase.user()
                        + "&password=" + TestDatabase.password()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        new CommandLine(serve).parseArgs(args);
        return serve;
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
}
