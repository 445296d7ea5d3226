package io.runledger.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import picocli.CommandLine;

/**
 * The {@code runledger} client commands run in-process against the test server, as a user
 * runs them: with {@code --url}, a new scope key and {@code --scope}; their exit code and
 * what they printed are the result.
 */
public abstract class CliTestBase extends ServerTestBase {
    /** A scope key of the test scope, new for each test. */
    protected String key;

    /** What a command did: its exit code and its standard output and error. */
    public record Result(int exit, String out, String err) {
        public JsonNode json() throws Exception {
            return Http.JSON.readTree(out);
        }
    }

    @BeforeEach
    void key() {
        key = api.post(P + "/keys", null).json().get("key").asText();
    }

    /** Runs the command with the connection options after its arguments. */
    protected Result cli(String... args) {
        return cliWithOptionsAt(args.length, args);
    }

    /** Runs the command with the connection options inserted at {@code at} among its arguments. */
    protected Result cliWithOptionsAt(int at, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(at, List.of("--url", server.server.url(), "--key", key, "--scope", SCOPE));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new Main()).execute(all.toArray(String[]::new));
            return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
