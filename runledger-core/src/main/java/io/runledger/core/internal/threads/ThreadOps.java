package io.runledger.core.internal.threads;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.AgentThread;
import io.runledger.api.ConflictException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.PayloadTooLargeException;
import io.runledger.api.RunStatus;
import io.runledger.api.ThreadCreated;
import io.runledger.api.ThreadQuery;
import io.runledger.api.ThreadRun;
import io.runledger.api.Threads;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.ThreadStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** The engine's {@link Threads}: stored metadata, state derived from the thread's runs. */
public final class ThreadOps implements Threads {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    public static final int MAX_RUNS_LIMIT = 1000;
    public static final int MAX_RUNS_OFFSET = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Tx tx;
    private final ThreadStore store;

    public ThreadOps(Tx tx, ThreadStore store) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * A thread id as stored (lower case); anything but a UUID cannot name a thread, so it is
     * refused on create and simply not found otherwise.
     */
    static String normalized(String threadId) {
        if (threadId == null) {
            return null;
        }
        String id = threadId.toLowerCase(Locale.ROOT);
        return id.length() == 36 && UUID_TEXT.matcher(id).matches() ? id : null;
    }

    private static String existing(String threadId) {
        String id = normalized(threadId);
        if (id == null) {
            throw notFound(threadId);
        }
        return id;
    }

    static NotFoundException notFound(String threadId) {
        return NotFoundException.of("thread_not_found", "thread '" + threadId + "' does not exist");
    }

    @Override
    public ThreadCreated create(String scope, String threadId, JsonNode metadata, boolean failIfExists) {
        InvalidNameException.requireValid("scope", scope);
        String id = threadId == null ? uuidV7() : normalized(threadId);
        if (id == null) {
            throw new InvalidArgumentException("thread_id must be a UUID");
        }
        JsonNode meta = objectOrEmpty("metadata", metadata);
        Limits.requireSize("metadata", meta, MAX_METADATA_BYTES);
        String key = "thread:" + id + ":" + HexFormat.of().formatHex(randomBytes(6));
        boolean created = tx.run((h, changes) -> {
            if (!store.scopeExists(h, scope)) {
                throw NotFoundException.scope(scope);
            }
            return store.threadInsert(h, new ThreadStore.ThreadInsert(scope, id, key, meta));
        });
        if (!created && failIfExists) {
            throw new ConflictException("thread_exists", "thread '" + id + "' exists already",
                    Map.of("threadId", id));
        }
        return new ThreadCreated(get(scope, id), created);
    }

    @Override
    public AgentThread get(String scope, String threadId) {
        String id = existing(threadId);
        return tx.read(h -> store.threadsSearch(h, scope,
                        new ThreadQuery(null, List.of(id), null, ThreadQuery.Sort.CREATED_AT, false, 1, 0)))
                .stream().findFirst().orElseThrow(() -> notFound(threadId));
    }

    @Override
    public AgentThread update(String scope, String threadId, JsonNode metadata) {
        String id = existing(threadId);
        JsonNode meta = objectOrEmpty("metadata", metadata);
        Limits.requireSize("metadata", meta, MAX_METADATA_BYTES);
        boolean merged = tx.run((h, changes) -> {
            if (store.threadKey(h, scope, id).isEmpty()) {
                throw notFound(threadId);
            }
            return store.threadMetadataMerge(h, scope, id, meta, MAX_METADATA_BYTES);
        });
        if (!merged) {
            throw new PayloadTooLargeException("the thread's metadata would be larger than " + MAX_METADATA_BYTES
                    + " bytes");
        }
        return get(scope, id);
    }

    @Override
    public void delete(String scope, String threadId) {
        String id = existing(threadId);
        if (!tx.run((h, changes) -> store.threadDelete(h, scope, id))) {
            throw notFound(threadId);
        }
    }

    @Override
    public List<AgentThread> search(String scope, ThreadQuery query) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> store.threadsSearch(h, scope, normalizedIds(query)));
    }

    @Override
    public long count(String scope, ThreadQuery query) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> store.threadsCount(h, scope, normalizedIds(query)));
    }

    /** Ids that cannot be thread ids match nothing, as they would in the table. */
    private static ThreadQuery normalizedIds(ThreadQuery q) {
        if (q.ids() == null) {
            return q;
        }
        List<String> ids = q.ids().stream().map(ThreadOps::normalized).filter(Objects::nonNull).toList();
        return new ThreadQuery(q.metadata(), ids, q.status(), q.sortBy(), q.ascending(), q.limit(), q.offset());
    }

    @Override
    public List<ThreadRun> runs(String scope, String threadId, List<RunStatus> statuses, int limit, int offset) {
        String id = existing(threadId);
        Limits.range("limit", limit, 1, MAX_RUNS_LIMIT);
        Limits.range("offset", offset, 0, MAX_RUNS_OFFSET);
        List<RunStatus> wanted = statuses == null ? List.of() : List.copyOf(statuses);
        return tx.read(h -> {
            String key = store.threadKey(h, scope, id).orElseThrow(() -> notFound(threadId));
            return store.threadRuns(h, scope, key, wanted, limit, offset);
        });
    }

    @Override
    public ThreadRun run(String scope, String threadId, String runId) {
        if (runId == null) {
            throw NotFoundException.run(null);
        }
        return tx.read(h -> {
            String key = null;
            if (threadId != null) {
                String id = existing(threadId);
                key = store.threadKey(h, scope, id).orElseThrow(() -> notFound(threadId));
            }
            return store.threadRun(h, scope, key, runId).orElseThrow(() -> NotFoundException.run(runId));
        });
    }

    @Override
    public void runRemove(String scope, String threadId, String runId) {
        String id = existing(threadId);
        tx.run((h, changes) -> {
            String key = store.threadKey(h, scope, id).orElseThrow(() -> notFound(threadId));
            store.threadRun(h, scope, key, runId).orElseThrow(() -> NotFoundException.run(runId));
            store.threadRunRemove(h, scope, key, runId);
            return null;
        });
    }

    private static JsonNode objectOrEmpty(String what, JsonNode value) {
        if (value == null || value.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!value.isObject()) {
            throw new InvalidArgumentException(what + " must be an object");
        }
        return value;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits; sorts by creation time. */
    static String uuidV7() {
        byte[] b = randomBytes(16);
        long ms = System.currentTimeMillis();
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (ms >>> (40 - 8 * i));
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x70);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(hi, lo).toString();
    }
}
