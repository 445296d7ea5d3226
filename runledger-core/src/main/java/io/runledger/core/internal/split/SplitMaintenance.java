package io.runledger.core.internal.split;

import io.runledger.api.DispatchResult;
import io.runledger.api.Maintenance;
import io.runledger.api.QueueResult;
import io.runledger.api.QueueStat;
import io.runledger.api.RetentionResult;
import io.runledger.api.SweepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Each pass over both databases (each engine keeps its own loops too); the results added up. */
public record SplitMaintenance(Maintenance main, Maintenance runs) implements Maintenance {
    @Override
    public SweepResult sweep() {
        return main.sweep().plus(runs.sweep());
    }

    @Override
    public QueueResult queue() {
        return main.queue().plus(runs.queue());
    }

    @Override
    public DispatchResult webhooks() {
        return main.webhooks().plus(runs.webhooks());
    }

    @Override
    public int bulkActionPages(int maxPages) {
        return main.bulkActionPages(maxPages) + runs.bulkActionPages(maxPages);
    }

    @Override
    public RetentionResult retention() {
        return main.retention().plus(runs.retention());
    }

    @Override
    public int runStats() {
        return main.runStats() + runs.runStats();
    }

    @Override
    public List<QueueStat> queueStats() {
        return addQueues(main.queueStats(), runs.queueStats());
    }

    /** Each (scope, service) queue of two databases as one: the depths added, the older of the oldest. */
    static List<QueueStat> addQueues(List<QueueStat> onMain, List<QueueStat> onRuns) {
        Map<List<String>, QueueStat> byService = new LinkedHashMap<>();
        for (QueueStat q : onMain) {
            byService.put(List.of(q.scope(), q.service()), q);
        }
        for (QueueStat q : onRuns) {
            byService.merge(List.of(q.scope(), q.service()), q, (a, b) -> new QueueStat(a.scope(), a.service(),
                    a.depth() + b.depth(), Math.max(a.oldestAgeSeconds(), b.oldestAgeSeconds())));
        }
        return new ArrayList<>(byService.values());
    }

    /** Services are control plane: counted on the main database. */
    @Override
    public long servicesPaused() {
        return main.servicesPaused();
    }
}
