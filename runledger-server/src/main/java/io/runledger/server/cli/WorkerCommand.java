package io.runledger.server.cli;

import io.runledger.api.UnavailableException;
import io.runledger.client.CommandHandler;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runledger worker --command ...}: a worker in any language. Runs the command once
 * per leased run (input JSON on stdin, RUNLEDGER_RUN_ID in the environment), streams its
 * stdout lines as events, and settles the run by its exit status. SIGTERM stops leasing
 * and lets running commands finish (up to --shutdown-grace) before releasing them.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Execute runs of one or more services with a shell command.")
public final class WorkerCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Option(names = "--service", required = true, split = ",", description = "Service(s) to execute.")
    List<String> services;

    @Option(names = "--command", required = true, description = "Shell command run per run, e.g. './agent.sh'.")
    String command;

    @Option(names = "--concurrency", defaultValue = "1", description = "Runs at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--local-queue", defaultValue = "0",
            description = "Runs leased ahead while every command is busy, started as soon as one ends (default"
                    + " ${DEFAULT-VALUE}; worth it for many short runs, not for long ones).")
    int localQueue;

    @Option(names = "--worker-id", description = "Worker id (default: generated).")
    String workerId;

    @Option(names = "--workdir", description = "Working directory of the command (default: current).")
    Path workdir;

    @Option(names = "--stop-grace-seconds", defaultValue = "10",
            description = "After a stop request: seconds between SIGTERM and SIGKILL (default ${DEFAULT-VALUE}).")
    long stopGraceSeconds;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "30",
            description = "On SIGTERM: seconds to let running commands finish (default ${DEFAULT-VALUE}).")
    long shutdownGraceSeconds;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() throws Exception {
        CommandHandler handler = new CommandHandler(command, workdir, Duration.ofSeconds(stopGraceSeconds));
        RunLedgerClient client = options.client();
        try {
            // A wrong key or scope is refused now, rather than retried in the background forever.
            client.workers().list(options.scope());
        } catch (UnavailableException e) {
            System.err.println("runledger: the server is not reachable yet (" + e.getMessage() + "); polling anyway");
        }
        Worker.Builder builder = Worker.builder(client).scope(options.scope()).concurrency(concurrency)
                .localQueue(localQueue).shutdownGrace(Duration.ofSeconds(shutdownGraceSeconds));
        if (workerId != null) {
            builder.workerId(workerId);
        }
        services.forEach(s -> builder.handle(s, handler));
        Worker worker = builder.build().start();
        System.out.println("RunLedger worker " + worker.workerId() + " executing " + services + " with: " + command);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            done.countDown();
        }, "runledger-worker-shutdown"));
        done.await();
        return 0;
    }
}
