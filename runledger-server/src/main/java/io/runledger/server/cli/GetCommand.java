package io.runledger.server.cli;

import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code runledger get RUN}: one run as JSON. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a run as JSON.")
public final class GetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "The run id.")
    String runId;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() {
        System.out.println(ServerJson.text(Views.run(options.client().runs().get(options.scope(), runId))));
        return 0;
    }
}
