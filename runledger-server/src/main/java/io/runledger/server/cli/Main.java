package io.runledger.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runledger} command line. */
@Command(name = "runledger", mixinStandardHelpOptions = true, version = "RunLedger 0.1.0",
        description = "A durable run control plane on PostgreSQL.",
        subcommands = {ServeCommand.class, WorkerCommand.class, TriggerCommand.class, RunsCommand.class,
                GetCommand.class, TailCommand.class, CancelCommand.class, ReplayCommand.class,
                WaitpointsCommand.class, SchedulesCommand.class, BulkCommand.class, BenchCommand.class,
                AotTrainingCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
