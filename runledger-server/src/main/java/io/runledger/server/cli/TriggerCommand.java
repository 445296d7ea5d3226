package io.runledger.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.OnConflict;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.client.RunLedgerClient;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger trigger SERVICE --input '{...}'}: registers a run and prints its receipt. */
@Command(name = "trigger", mixinStandardHelpOptions = true, description = "Trigger a run of a service.")
public final class TriggerCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "The service.")
    String service;

    @Option(names = "--input", description = "Input JSON (default: {}); @file reads a file, @- stdin.")
    String input;

    @Option(names = "--idempotency-key", description = "Idempotency key.")
    String idempotencyKey;

    @Option(names = "--concurrency-key", description = "Concurrency key.")
    String concurrencyKey;

    @Option(names = "--on-conflict", description = "reject, enqueue or interrupt.")
    String onConflict;

    @Option(names = "--tag", description = "A tag (repeatable).")
    List<String> tags;

    @Option(names = "--delay-seconds", description = "Start no earlier than this many seconds from now.")
    Long delaySeconds;

    @Option(names = "--wait", description = "Wait until the run settles and print it; exit 1 unless it succeeded.")
    boolean waitForRun;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() throws Exception {
        RunLedgerClient client = options.client();
        TriggerRequest.Builder b = TriggerRequest.builder().input(readInput()).idempotencyKey(idempotencyKey)
                .concurrencyKey(concurrencyKey).tags(tags == null ? List.of() : tags);
        if (onConflict != null) {
            b.onConflict(OnConflict.fromWire(onConflict));
        }
        if (delaySeconds != null) {
            b.delaySeconds(delaySeconds);
        }
        Receipt receipt = client.runs().trigger(options.scope(), service, b.build());
        if (!waitForRun) {
            var view = ServerJson.tree(Views.receipt(receipt)).put("replayed", receipt.replayed());
            System.out.println(ServerJson.text(view));
            return 0;
        }
        Run run = client.runs().await(options.scope(), receipt.runId(), Duration.ofSeconds(300));
        while (!run.status().isTerminal()) {
            run = client.runs().await(options.scope(), receipt.runId(), Duration.ofSeconds(300));
        }
        System.out.println(ServerJson.text(Views.run(run)));
        return run.status() == io.runledger.api.RunStatus.SUCCEEDED ? 0 : 1;
    }

    private JsonNode readInput() throws Exception {
        return input == null ? ServerJson.MAPPER.createObjectNode() : readJson(input);
    }

    /** JSON given on the command line, or {@code @file}, or {@code @-} for stdin. */
    static JsonNode readJson(String arg) throws Exception {
        String text = arg;
        if (arg.equals("@-")) {
            text = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } else if (arg.startsWith("@")) {
            text = Files.readString(Path.of(arg.substring(1)));
        }
        return ServerJson.MAPPER.readTree(text);
    }

    static String time(java.time.Instant t) {
        return t == null ? "-" : Timestamps.format(t);
    }
}
