package io.runledger.core.internal.leases;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Workers;
import io.runledger.core.internal.kernel.GroupCommit;
import io.runledger.core.internal.store.Fenced;
import io.runledger.core.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Group commit of the completions that settle in one statement (runs without a concurrency
 * key). Completions of one scope that arrive while earlier ones are being written wait for
 * them and are then settled together: one statement, one commit, for the items of several
 * calls. Each call is answered with the rows of its own items, only after the commit. A
 * group never names one run twice: a call that names a run already in the group waits for
 * the next one, so each item is fenced and answered exactly as if it were alone.
 *
 * <p>If the group's statement is refused for a value PostgreSQL cannot store, nothing of it
 * was written, and each call's items are settled again in a statement of their own, so the
 * refusal reaches only the call that sent the value.
 */
final class CompletionGroup {
    /** Groups written at once: one is built and sent while the other waits for its fsync. */
    private static final int PARALLEL = 2;

    /** One call's items: the runs with their tokens, and their outputs, in the same order. */
    record Settling(String scope, List<Fenced> items, List<JsonNode> outputs) {
        int size() {
            return items.size();
        }

        /** Whether this call may be settled in one statement with {@code group}. */
        boolean joins(List<Settling> group) {
            if (!scope.equals(group.get(0).scope)) {
                return false;
            }
            Set<String> named = new HashSet<>();
            group.forEach(s -> s.items.forEach(f -> named.add(f.runId())));
            return items.stream().noneMatch(f -> named.contains(f.runId()));
        }
    }

    /** The settling statement on its own (autocommit): returns the rows it settled. */
    @FunctionalInterface
    interface Statement {
        List<StoredRun> settle(String scope, List<Fenced> items, List<JsonNode> outputs);
    }

    private final Statement statement;
    private final GroupCommit<Settling, List<StoredRun>> groups;

    CompletionGroup(Statement statement) {
        this.statement = statement;
        this.groups = new GroupCommit<>(PARALLEL, Workers.MAX_ITEMS, Settling::size, (group, next) -> next.joins(group),
                this::write);
    }

    /**
     * Settles the items with the next group of their scope and returns the rows settled once
     * that committed; the items it did not match are for the caller to diagnose.
     *
     * @throws InvalidArgumentException if one of these outputs cannot be stored (nothing written)
     */
    List<StoredRun> settle(String scope, List<Fenced> items, List<JsonNode> outputs) {
        return groups.submit(new Settling(scope, List.copyOf(items), List.copyOf(outputs)));
    }

    private void write(List<GroupCommit.Entry<Settling, List<StoredRun>>> group) {
        if (group.size() > 1) {
            List<Fenced> items = new ArrayList<>();
            List<JsonNode> outputs = new ArrayList<>();
            for (var e : group) {
                items.addAll(e.item().items());
                outputs.addAll(e.item().outputs());
            }
            List<StoredRun> rows;
            try {
                rows = statement.settle(group.get(0).item().scope(), items, outputs);
            } catch (InvalidArgumentException unstorable) {
                rows = null; // nothing was written: each call alone, so only the bad one is refused
            }
            if (rows != null) {
                Map<String, StoredRun> byRunId = new HashMap<>();
                rows.forEach(r -> byRunId.put(r.run().runId(), r));
                for (var e : group) {
                    e.answer(e.item().items().stream().map(f -> byRunId.get(f.runId()))
                            .filter(Objects::nonNull).toList());
                }
                return;
            }
        }
        for (var e : group) {
            try {
                e.answer(statement.settle(e.item().scope(), e.item().items(), e.item().outputs()));
            } catch (RuntimeException failure) {
                e.fail(failure);
            }
        }
    }
}
