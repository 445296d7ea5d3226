package io.runledger.server.cli;

import io.runledger.core.RunLedger;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.auth.AdminKey;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The server a benchmark measures: the running one named by {@code --url} and {@code --key},
 * else one it starts in-process over an embedded PostgreSQL in a temporary directory (durable
 * settings), stopped when the measurement ends.
 */
final class BenchTarget {

    @Option(names = "--url", description = "A running server to measure instead of an in-process one.")
    String url;

    @Option(names = "--key", description = "Admin key of the server given with --url.")
    String key;

    /** What is measured, given the server's base URL and an admin key. */
    interface Measurement {
        void on(String base, String adminKey) throws Exception;
    }

    void measure(Measurement measurement) throws Exception {
        if (url != null) {
            if (key == null) {
                throw new IllegalArgumentException("--key is required with --url");
            }
            measurement.on(url, key);
            return;
        }
        Path dir = Files.createTempDirectory("runledger-bench");
        try {
            AdminKey admin = AdminKey.fromDataDirectory(dir);
            try (RunLedger ledger = RunLedger.builder().dataDirectory(dir).build();
                 RunLedgerServer server = RunLedgerServer.builder(ledger).port(0).adminKeyHash(admin.hash()).start()) {
                measurement.on(server.url(), admin.key());
            }
        } finally {
            BenchServerProcess.deleteTree(dir); // the embedded cluster: tens to hundreds of MB per run (the stopped server's)
        }
    }
}
