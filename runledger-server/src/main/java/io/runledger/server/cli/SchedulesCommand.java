package io.runledger.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.ScheduleCatchUp;
import io.runledger.api.ScheduleOverlap;
import io.runledger.api.ScheduleSpec;
import io.runledger.api.Schedules;
import io.runledger.client.RunLedgerClient;
import io.runledger.server.http.ServerJson;
import io.runledger.server.schedules.ScheduleRoutes;
import io.runledger.server.wire.ListView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger schedules put|get|list|delete}: cron schedules. One command with an action
 * (not picocli subcommands), so {@code --url}, {@code --key} and {@code --scope} go anywhere
 * on the line.
 */
@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = {"Cron schedules:",
            "  put ID --service S --cron EXPR [--timezone TZ] [--input JSON] [--disabled]"
                    + " [--overlap allow|skip] [--catch-up latest|none]",
            "  get ID",
            "  list",
            "  delete ID"})
public final class SchedulesCommand implements Callable<Integer> {
    /** What the command does. */
    public enum Action { put, get, list, delete }

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "put, get, list or delete.")
    Action action;

    @Parameters(index = "1", arity = "0..1", description = "The schedule id (put, get, delete).")
    String scheduleId;

    @Option(names = "--service", description = "put: the service each fire triggers.")
    String service;

    @Option(names = "--cron", description = "put: five fields (minute hour day-of-month month day-of-week),"
            + " or six with seconds first; quote it.")
    String cron;

    @Option(names = "--timezone", description = "put: the IANA time zone the cron is read in (default UTC).")
    String timezone;

    @Option(names = "--input", description = "put: the input JSON of every run; @file reads a file, @- stdin.")
    String input;

    @Option(names = "--disabled", description = "put: store the schedule without firing it.")
    boolean disabled;

    @Option(names = "--overlap", description = "put: allow (default) or skip a fire while the last run is going.")
    String overlap;

    @Option(names = "--catch-up", description = "put: after an outage fire the latest missed time (latest,"
            + " default) or none.")
    String catchUp;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() throws Exception {
        if ((action == Action.list) != (scheduleId == null)) {
            throw new IllegalArgumentException(action == Action.list ? "schedules list takes no id"
                    : "schedules " + action + " needs the schedule id");
        }
        if (action == Action.put && (service == null || cron == null)) {
            throw new IllegalArgumentException("schedules put needs --service and --cron");
        }
        try (RunLedgerClient client = options.client()) {
            Schedules schedules = client.schedules();
            String scope = options.scope();
            switch (action) {
                case put -> print(ServerJson.tree(ScheduleRoutes.view(schedules.put(scope, scheduleId,
                        new ScheduleSpec(service, cron, timezone,
                                input == null ? null : TriggerCommand.readJson(input), !disabled,
                                overlap == null ? null : ScheduleOverlap.fromWire(overlap),
                                catchUp == null ? null : ScheduleCatchUp.fromWire(catchUp))))));
                case get -> print(ServerJson.tree(ScheduleRoutes.view(schedules.get(scope, scheduleId))));
                case list -> {
                    print(ServerJson.tree(new ListView<>(schedules.list(scope).stream().map(ScheduleRoutes::view)
                            .toList())));
                }
                case delete -> {
                    schedules.delete(scope, scheduleId);
                    System.err.println("schedule " + scheduleId + " deleted");
                }
            }
            return 0;
        }
    }

    private static void print(ObjectNode node) {
        System.out.println(ServerJson.text(node));
    }
}
