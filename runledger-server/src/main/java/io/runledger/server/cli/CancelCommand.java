package io.runledger.server.cli;

import io.runledger.api.CancelResult;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger cancel RUN}: requests a stop (a queued run is cancelled at once). */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a run.")
public final class CancelCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "The run id.")
    String runId;

    @Option(names = "--reason", description = "Why (recorded on the run).")
    String reason;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() {
        CancelResult result = options.client().runs().cancel(options.scope(), runId, reason);
        System.out.println(ServerJson.text(Views.run(result.run())));
        System.err.println(result.settled() ? "settled: " + result.run().status().wireName()
                : "stop requested; the worker settles the run on its next heartbeat");
        return 0;
    }
}
