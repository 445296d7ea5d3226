package io.runledger.core.internal.split;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.AgentThread;
import io.runledger.api.RunStatus;
import io.runledger.api.ThreadCreated;
import io.runledger.api.ThreadQuery;
import io.runledger.api.ThreadRun;
import io.runledger.api.Threads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Threads are run data: a new one lives on the runs database, an older one where it was
 * created (its id is the client's, so each store is asked, the runs database first). A
 * thread's runs share its concurrency key, so they are created where the key is in use.
 */
public record SplitThreads(Threads main, Threads runs) implements Threads {
    private <T> T either(java.util.function.Function<Threads, T> call) {
        return Stores.either(runs, main, call);
    }

    @Override
    public ThreadCreated create(String scope, String threadId, JsonNode metadata, boolean failIfExists) {
        if (threadId != null) {
            try {
                main.get(scope, threadId);
                return main.create(scope, threadId, metadata, failIfExists); // it exists there: its answer
            } catch (io.runledger.api.NotFoundException e) {
                // not from before the split
            }
        }
        return runs.create(scope, threadId, metadata, failIfExists);
    }

    @Override
    public AgentThread get(String scope, String threadId) {
        return either(t -> t.get(scope, threadId));
    }

    @Override
    public AgentThread update(String scope, String threadId, JsonNode metadata) {
        return either(t -> t.update(scope, threadId, metadata));
    }

    @Override
    public void delete(String scope, String threadId) {
        either(t -> {
            t.delete(scope, threadId);
            return null;
        });
    }

    /**
     * Both stores' matches in the query's order: each is asked for everything up to the end
     * of the requested page (offset 0), and the page is cut from the merged list.
     */
    @Override
    public List<AgentThread> search(String scope, ThreadQuery query) {
        int upTo = Math.min(ThreadQuery.MAX_LIMIT, query.offset() + query.limit());
        ThreadQuery head = new ThreadQuery(query.metadata(), query.ids(), query.status(), query.sortBy(),
                query.ascending(), upTo, 0);
        List<AgentThread> all = new ArrayList<>(runs.search(scope, head));
        all.addAll(main.search(scope, head));
        Comparator<AgentThread> order = switch (query.sortBy()) {
            case THREAD_ID -> Comparator.comparing(AgentThread::threadId);
            case STATUS -> Comparator.comparing((AgentThread t) -> t.status().wireName());
            case CREATED_AT -> Comparator.comparing(AgentThread::createdAt);
            case UPDATED_AT -> Comparator.comparing(AgentThread::updatedAt);
        };
        all.sort(query.ascending() ? order : order.reversed());
        int from = Math.min(all.size(), query.offset());
        return List.copyOf(all.subList(from, Math.min(all.size(), from + query.limit())));
    }

    @Override
    public long count(String scope, ThreadQuery query) {
        return runs.count(scope, query) + main.count(scope, query);
    }

    @Override
    public List<ThreadRun> runs(String scope, String threadId, List<RunStatus> statuses, int limit, int offset) {
        return either(t -> t.runs(scope, threadId, statuses, limit, offset));
    }

    @Override
    public ThreadRun run(String scope, String threadId, String runId) {
        return either(t -> t.run(scope, threadId, runId));
    }

    @Override
    public void runRemove(String scope, String threadId, String runId) {
        either(t -> {
            t.runRemove(scope, threadId, runId);
            return null;
        });
    }
}
