package io.runledger.server.http;

import io.javalin.http.Context;
import io.runledger.server.auth.Caller;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Bounds on requests held open (SSE streams, run waits, waiting lease polls), per key and
 * per scope, so that one key cannot take the threads, sockets and connections that every
 * other caller needs. Past a bound the request is refused with 429 {@code too_many_requests}
 * and {@code Retry-After}. The admin key is counted per scope it acts in, both as a key and
 * towards that scope's bound.
 */
public final class HeldRequests {
    /** How long a refused caller is told to wait: long enough for held requests to turn over. */
    public static final long RETRY_AFTER_SECONDS = 5;

    /** The kinds of held request, each with its own bounds. */
    public enum Kind {
        STREAM("open streams"), WAIT("run waits"), LEASE_POLL("waiting lease polls");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name in metrics labels: {@code stream}, {@code wait}, {@code lease_poll}. */
        public String metricName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String HELD_ATTRIBUTE = HeldRequests.class.getName() + ".kind";

    /** At most {@code perKey} held by one key, at most {@code perScope} in one scope. */
    public record Bounds(int perKey, int perScope) {
        public Bounds {
            if (perKey < 1 || perScope < 1) {
                throw new IllegalArgumentException("bounds on held requests must be at least 1");
            }
        }
    }

    private final Map<Kind, Bounds> bounds;
    // Entries are removed at zero, so idle keys and scopes hold no memory.
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    public HeldRequests(Map<Kind, Bounds> bounds) {
        for (Kind kind : Kind.values()) {
            Objects.requireNonNull(bounds.get(kind), () -> "bounds for " + kind);
        }
        this.bounds = Map.copyOf(bounds);
    }

    /**
     * The kind of held request {@code ctx} was, or null if it was answered without holding
     * (the metrics keep held requests out of the request latency).
     */
    public static Kind heldAs(Context ctx) {
        return ctx.attribute(HELD_ATTRIBUTE);
    }

    /** Takes a slot for a held request, or refuses with 429. */
    private Slot acquire(Context ctx, Kind kind, Caller caller, String scope) {
        Bounds b = bounds.get(kind);
        // Key ids are unique within a scope; the admin key counts as one key per scope.
        String key = kind + "|key|" + scope + "|" + caller.keyId();
        String scopeKey = kind + "|scope|" + scope;
        if (!take(key, b.perKey())) {
            throw HttpProblem.tooManyRequests("this key holds " + b.perKey() + " " + kind.label
                    + " already; close one or retry later", RETRY_AFTER_SECONDS);
        }
        if (!take(scopeKey, b.perScope())) {
            give(key);
            throw HttpProblem.tooManyRequests("scope '" + scope + "' holds " + b.perScope() + " " + kind.label
                    + " already; retry later", RETRY_AFTER_SECONDS);
        }
        // Only a request that got its slot is held; a refusal is an ordinary quick answer.
        ctx.attribute(HELD_ATTRIBUTE, kind);
        return new Slot(key, scopeKey);
    }

    /**
     * Runs {@code request} in a slot (refusing with 429 if none is free) and frees the slot
     * however it ends: an answer, an exception, or a client that went away.
     */
    public <T> T hold(Context ctx, Kind kind, Caller caller, String scope, Supplier<T> request) {
        Slot slot = acquire(ctx, kind, caller, scope);
        try {
            return request.get();
        } finally {
            slot.close();
        }
    }

    /**
     * As {@link #hold}, for a request answered asynchronously: takes a slot now (refusing with
     * 429 if none is free) and frees it when the future {@code request} returns completes, or
     * at once if {@code request} throws.
     */
    public <T> CompletableFuture<T> holdAsync(Context ctx, Kind kind, Caller caller, String scope,
                                              Supplier<CompletableFuture<T>> request) {
        Slot slot = acquire(ctx, kind, caller, scope);
        try {
            return request.get().whenComplete((value, failure) -> slot.close());
        } catch (RuntimeException | Error e) {
            slot.close();
            throw e;
        }
    }

    /** How many requests of this kind the scope holds now (for tests and diagnostics). */
    public int heldInScope(Kind kind, String scope) {
        return held.getOrDefault(kind + "|scope|" + scope, 0);
    }

    private boolean take(String counter, int bound) {
        boolean[] taken = {false};
        held.compute(counter, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= bound) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void give(String counter) {
        held.computeIfPresent(counter, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** One held request's place; closing it more than once frees it once. */
    private final class Slot implements AutoCloseable {
        private final String key;
        private final String scopeKey;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Slot(String key, String scopeKey) {
            this.key = key;
            this.scopeKey = scopeKey;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                give(scopeKey);
                give(key);
            }
        }
    }
}
