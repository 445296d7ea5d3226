package io.runledger.server.cli;

import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.RunListing;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runledger runs}: the newest runs of a scope, one line each. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class RunsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Option(names = "--service", description = "Only this service.")
    String service;

    @Option(names = "--status", description = "Only this status.")
    String status;

    @Option(names = "--tag", description = "Only runs with this tag.")
    String tag;

    @Option(names = "--concurrency-key", description = "Only runs with this concurrency key.")
    String concurrencyKey;

    @Option(names = "--health", description = "Only unhealthy runs: retrying, stuck or silent.")
    String health;

    @Option(names = "--stuck-after", defaultValue = "300",
            description = "Seconds a run may be queued or overdue before it counts as stuck (default ${DEFAULT-VALUE}).")
    int stuckAfterSeconds;

    @Option(names = "--silent-for", defaultValue = "300",
            description = "Seconds without an event before a running run counts as silent (default ${DEFAULT-VALUE}).")
    int silentForSeconds;

    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() {
        RunLedgerClient client = options.client();
        RunFilter filter = RunFilter.all().withLimit(Math.min(limit, RunFilter.MAX_LIMIT)).withService(service)
                .withStatus(status == null ? null : RunStatus.fromWire(status)).withTag(tag)
                .withConcurrencyKey(concurrencyKey)
                .withHealth(health == null ? null : RunHealth.fromWire(health))
                .withStuckAfterSeconds(stuckAfterSeconds).withSilentForSeconds(silentForSeconds);
        // With a health filter the time of each run's latest event tells how long it has been quiet.
        boolean lastEvent = filter.health() != null;
        System.out.printf("%-30s %-20s %-10s %-7s %-27s" + (lastEvent ? " %-27s" : "") + "%n",
                "RUN", "SERVICE", "STATUS", "ATTEMPT", "CREATED", "LAST EVENT");
        int shown = 0;
        for (Run r : RunListing.all(client.runs(), options.scope(), filter)) {
            System.out.printf("%-30s %-20s %-10s %-7s %-27s" + (lastEvent ? " %-27s" : "") + "%n",
                    r.runId(), r.service(), r.status().wireName(), r.attempt() + "/" + r.maxAttempts(),
                    TriggerCommand.time(r.createdAt()), TriggerCommand.time(r.lastEventAt()));
            if (++shown >= limit) {
                break;
            }
        }
        return 0;
    }
}
