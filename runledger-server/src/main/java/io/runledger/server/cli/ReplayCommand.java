package io.runledger.server.cli;

import io.runledger.api.Receipt;
import io.runledger.client.RunLedgerClient;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger replay RUN [--input JSON]}: a new run of the same service that names the original. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a run: a new run of its service with its input (or --input), recording replayOf.")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "The run id.")
    String runId;

    @Option(names = "--input", description = "Input JSON instead of the original's; @file reads a file, @- stdin.")
    String input;

    @Option(names = "--metadata", description = "Metadata JSON instead of the original's.")
    String metadata;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() throws Exception {
        try (RunLedgerClient client = options.client()) {
            Receipt receipt = client.runs().replay(options.scope(), runId,
                    input == null ? null : TriggerCommand.readJson(input),
                    metadata == null ? null : TriggerCommand.readJson(metadata));
            System.out.println(ServerJson.text(ServerJson.tree(Views.receipt(receipt)).put("replayOf", runId)));
            return 0;
        }
    }
}
