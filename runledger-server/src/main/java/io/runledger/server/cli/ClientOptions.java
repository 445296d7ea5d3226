package io.runledger.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.runledger.api.RunLedgerException;
import io.runledger.client.RunLedgerClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** Where the client commands find the server, with which key, in which scope. */
public final class ClientOptions {
    @Option(names = "--url", defaultValue = "${env:RUNLEDGER_URL:-http://127.0.0.1:7070}",
            description = "Server URL (RUNLEDGER_URL, default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--key", defaultValue = "${env:RUNLEDGER_KEY}",
            description = "Admin or scope key (RUNLEDGER_KEY).")
    String key;

    @Option(names = "--scope", defaultValue = "${env:RUNLEDGER_SCOPE}",
            description = "Scope (RUNLEDGER_SCOPE).")
    String scope;

    RunLedgerClient client() {
        return RunLedgerClient.builder().url(url).key(key).build();
    }

    String scope() {
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("--scope (or RUNLEDGER_SCOPE) is required");
        }
        return scope;
    }

    /**
     * Runs a client command so that a refusal by the server, an unreachable server or a bad
     * argument ends it with one line on stderr and exit status 1, not a stack trace.
     */
    static int reportErrors(Callable<Integer> command) throws Exception {
        try {
            return command.call();
        } catch (RunLedgerException e) {
            System.err.println("runledger: " + e.code() + ": " + e.getMessage());
        } catch (JsonProcessingException e) {
            System.err.println("runledger: not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            System.err.println("runledger: " + e.getMessage());
        }
        return 1;
    }
}
