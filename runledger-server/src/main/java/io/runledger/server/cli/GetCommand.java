package io.runledger.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Page;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.Runs;
import io.runledger.api.StepRecord;
import io.runledger.client.RunLedgerClient;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger get RUN}: one run as JSON, with its children ({@code children}: the newest
 * {@value #MAX_CHILDREN}, and {@code moreChildren} when there are more) and its recorded steps
 * ({@code steps}, all of them, in record order).
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Show a run as JSON, with its children and its recorded steps.")
public final class GetCommand implements Callable<Integer> {
    static final int MAX_CHILDREN = RunFilter.MAX_LIMIT;
    private static final int STEPS_PAGE = 200;

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "The run id.")
    String runId;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() {
        try (RunLedgerClient client = options.client()) {
            Runs runs = client.runs();
            String scope = options.scope();
            ObjectNode view = ServerJson.tree(Views.run(runs.get(scope, runId)));
            Page<Run> children = runs.list(scope, new RunFilter(null, null, null, null, runId, MAX_CHILDREN, null));
            ArrayNode kids = view.putArray("children");
            for (Run child : children.items()) {
                kids.addObject().put("runId", child.runId()).put("service", child.service())
                        .put("status", child.status().wireName());
            }
            view.put("moreChildren", children.nextCursor() != null);
            ArrayNode steps = view.putArray("steps");
            long after = 0;
            while (true) {
                Page<StepRecord> page = runs.steps(scope, runId, after, STEPS_PAGE);
                page.items().forEach(s -> steps.add(ServerJson.tree(Views.step(s))));
                if (page.nextCursor() == null) {
                    break;
                }
                after = Long.parseLong(page.nextCursor());
            }
            System.out.println(ServerJson.text(view));
            return 0;
        }
    }
}
