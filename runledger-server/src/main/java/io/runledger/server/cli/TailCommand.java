package io.runledger.server.cli;

import io.runledger.api.RunEvent;
import io.runledger.api.Timestamps;
import io.runledger.client.EventStream;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger tail RUN}: follows a run's events until it settles, resuming by itself
 * after a dropped connection or a server restart. Exit status 0 if the run succeeded.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, description = "Follow a run's events until it settles.")
public final class TailCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "The run id.")
    String runId;

    @Option(names = "--after", defaultValue = "0", description = "Start after this seq (default ${DEFAULT-VALUE}).")
    long after;

    @Option(names = "--json", description = "Print each event as one JSON line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() {
        String last = null;
        boolean midLine = false;
        try (EventStream stream = (EventStream) options.client().runs().follow(options.scope(), runId, after)) {
            for (RunEvent e : stream) {
                if (json) {
                    System.out.println(ServerJson.text(Views.event(e)));
                } else if (e.type().equals("output.delta") && e.data() != null && e.data().has("text")) {
                    // Deltas are printed as they come: tokens join up, lines keep their newlines.
                    String text = e.data().get("text").asText();
                    System.out.print(text);
                    midLine = !text.isEmpty() && !text.endsWith("\n");
                } else {
                    if (midLine) {
                        System.out.println();
                        midLine = false;
                    }
                    System.out.printf("%s #%d %s %s%n", Timestamps.format(e.createdAt()), e.seq(), e.type(),
                            e.data() == null ? "" : ServerJson.text(e.data()));
                }
                System.out.flush();
                last = e.type();
            }
        }
        return "run.succeeded".equals(last) ? 0 : 1;
    }
}
