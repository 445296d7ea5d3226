package io.runledger.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.ServerTestBase;
import io.runledger.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code runledger aot-training} against a real server: every call it makes answers 2xx, and
 * it leaves its scope drained, with runs settled both ways (the paths a server runs hot).
 */
class AotTrainingCommandTest extends ServerTestBase {

    @Test
    void drivesEveryHotPathAndLeavesNothingQueued() {
        StringWriter err = new StringWriter();
        PrintStream realOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true));
        int exit;
        try {
            exit = new CommandLine(new AotTrainingCommand()).setErr(new PrintWriter(err))
                    .execute("--rounds", "1", "--scale", "0.05", "--url", server.server.url(), "--key", TestServer.ADMIN_KEY);
        } finally {
            System.setOut(realOut);
        }

        assertThat(exit).as(err.toString()).isZero();
        Matcher summary = Pattern.compile("aot-training: 1 rounds .* in scope (\\S+) in").matcher(printed.toString());
        assertThat(summary.find()).as(printed.toString()).isTrue();
        String p = "/v1/scopes/" + summary.group(1);
        JsonNode queues = api.get(p + "/queues").json();
        assertThat(queues.toString()).contains("\"depth\":0");
        for (String status : new String[] {"accepted", "running", "scheduled"}) {
            assertThat(api.get(p + "/runs?status=" + status + "&limit=1").json().get("items")).as(status).isEmpty();
        }
        for (String status : new String[] {"succeeded", "failed"}) {
            assertThat(api.get(p + "/runs?status=" + status + "&limit=1").json().get("items")).as(status).hasSize(1);
        }
    }

    /** Without --url it trains an in-process server on an embedded PostgreSQL, and leaves no data behind. */
    @Test
    void onItsOwnServerItLeavesNoDataBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = benchDirectories(tmp);
        PrintStream realOut = System.out;
        StringWriter err = new StringWriter();
        int exit;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
            exit = new CommandLine(new AotTrainingCommand()).setErr(new PrintWriter(err))
                    .execute("--rounds", "1", "--scale", "0.02");
        } finally {
            System.setOut(realOut);
        }

        assertThat(exit).as(err.toString()).isZero();
        assertThat(benchDirectories(tmp)).as("temporary data directories left").isSubsetOf(before);
    }

    private static Set<Path> benchDirectories(Path tmp) throws Exception {
        try (Stream<Path> list = Files.list(tmp)) {
            return list.filter(p -> p.getFileName().toString().startsWith("runledger-bench")).collect(Collectors.toSet());
        }
    }
}
