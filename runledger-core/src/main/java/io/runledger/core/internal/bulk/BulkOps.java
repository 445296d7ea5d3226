package io.runledger.core.internal.bulk;

import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActions;
import io.runledger.api.BulkFilter;
import io.runledger.api.ConflictException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.core.internal.kernel.Cursors;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.BulkActionRow;
import io.runledger.core.internal.store.BulkActionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Creating, reading, listing and cancelling bulk actions. Creating snapshots the ids of the
 * matching runs in the same transaction, so the action covers exactly the runs that matched
 * then; the pages are processed by {@link BulkPages}, woken by {@code created}.
 */
public final class BulkOps implements BulkActions {
    /** What a bulk action id may look like at all; anything else is simply not found. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Tx tx;
    private final BulkActionStore store;
    private final int maxMatched;
    private volatile Runnable created = () -> { };

    public BulkOps(Tx tx, BulkActionStore store) {
        this(tx, store, MAX_MATCHED);
    }

    BulkOps(Tx tx, BulkActionStore store, int maxMatched) {
        this.tx = tx;
        this.store = store;
        this.maxMatched = maxMatched;
    }

    /** Told after each action created with work to do (this instance's processor wakes at once). */
    public void onCreated(Runnable hook) {
        this.created = Objects.requireNonNull(hook, "hook");
    }

    public static String newId() {
        return "bulk_" + com.github.f4b6a3.ulid.UlidCreator.getMonotonicUlid().toLowerCase();
    }

    @Override
    public BulkAction create(String scope, BulkActionRequest request) {
        return create(scope, request, newId());
    }

    /**
     * Creates the action under a given id: with run data split over two databases, one action
     * is created in each under the same id, each acting on the runs of its own database.
     */
    public BulkAction create(String scope, BulkActionRequest request, String id) {
        requireValid(scope, request);
        BulkFilter f = request.filter();
        Limits.optionalText("idempotencyKey", request.idempotencyKey(), Limits.MAX_KEY_LENGTH);
        BulkAction action = tx.run((h, changes) -> {
            // the first statement takes the scope's lock: a repeat waits for the first create
            int running = store.runningLock(h, scope).orElseThrow(() -> NotFoundException.scope(scope));
            if (request.idempotencyKey() != null) {
                Optional<BulkAction> first = store.byKey(h, scope, request.idempotencyKey()).map(BulkActionRow::action);
                if (first.isPresent()) {
                    return sameRequest(first.get(), request);
                }
            }
            if (running >= MAX_RUNNING) {
                throw new ConflictException("too_many_bulk_actions", "scope '" + scope + "' has " + running
                        + " running bulk actions, the most it may have; wait for one to finish or cancel one",
                        Map.of("running", running));
            }
            // The parent row first (the snapshot's rows reference it), counted after.
            store.insert(h, scope, id, request.action(), f, request.reason(), request.idempotencyKey());
            // thrown inside the transaction: the action and its snapshot roll back
            int matched = requireFits(store.runsSnapshot(h, scope, id, f, maxMatched));
            return store.setMatched(h, scope, id, matched).action();
        });
        if (!action.status().isFinal()) {
            created.run();
        }
        return action;
    }

    @Override
    public int count(String scope, BulkActionRequest request) {
        requireValid(scope, request);
        return requireFits(tx.read(h -> {
            store.running(h, scope).orElseThrow(() -> NotFoundException.scope(scope));
            return store.runsMatching(h, scope, request.filter(), maxMatched);
        }));
    }

    /** What a create and its dry run both check before they read anything. */
    private static void requireValid(String scope, BulkActionRequest request) {
        InvalidNameException.requireValid("scope", scope);
        Objects.requireNonNull(request, "request");
        validate(request.filter());
        Limits.optionalText("reason", request.reason(), Limits.MAX_REASON_LENGTH);
    }

    /** The count of matching runs, refused when it is more than one action may take. */
    private int requireFits(int matched) {
        if (matched > maxMatched) {
            throw new InvalidArgumentException("bulk_action_too_large", "the filter matches more than "
                    + maxMatched + " runs; narrow it (e.g. with createdAfter and createdBefore)");
        }
        return matched;
    }

    /** The first action of an idempotency key, if the repeat asks for the same. */
    private static BulkAction sameRequest(BulkAction first, BulkActionRequest request) {
        if (first.action() != request.action() || !first.filter().equals(micros(request.filter()))
                || !Objects.equals(first.reason(), request.reason())) {
            throw new ConflictException("bulk_action_key_reused", "idempotency key '" + request.idempotencyKey()
                    + "' was used for a different bulk action ('" + first.bulkActionId() + "')",
                    Map.of("bulkActionId", first.bulkActionId()));
        }
        return first;
    }

    /** The filter as stored: its times to the microsecond. */
    private static BulkFilter micros(BulkFilter f) {
        return f.withCreated(f.createdAfter() == null ? null : f.createdAfter().truncatedTo(ChronoUnit.MICROS),
                f.createdBefore() == null ? null : f.createdBefore().truncatedTo(ChronoUnit.MICROS));
    }

    static void validate(BulkFilter f) {
        if (f.service() != null) {
            InvalidNameException.requireValid("service", f.service());
        }
        Limits.optionalText("concurrencyKey", f.concurrencyKey(), Limits.MAX_KEY_LENGTH);
        Limits.optionalText("tag", f.tag(), Limits.MAX_TAG_LENGTH);
        Limits.optionalText("parentRunId", f.parentRunId(), Limits.MAX_KEY_LENGTH);
    }

    @Override
    public BulkAction get(String scope, String bulkActionId) {
        InvalidNameException.requireValid("scope", scope);
        requireId(bulkActionId);
        return tx.read(h -> store.get(h, scope, bulkActionId)).orElseThrow(() -> notFound(bulkActionId)).action();
    }

    @Override
    public Page<BulkAction> list(String scope, int limit, String cursor) {
        InvalidNameException.requireValid("scope", scope);
        Limits.range("limit", limit, 1, MAX_LIMIT);
        Cursors.Position at = Cursors.decode(cursor);
        List<BulkAction> rows = tx.read(h -> store.list(h, scope, limit, at == null ? null : at.createdAt(),
                at == null ? null : at.id())).stream().map(BulkActionRow::action).toList();
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<BulkAction> page = rows.subList(0, limit);
        BulkAction last = page.get(page.size() - 1);
        return new Page<>(page, Cursors.encode(last.createdAt(), last.bulkActionId()));
    }

    @Override
    public BulkAction cancel(String scope, String bulkActionId) {
        InvalidNameException.requireValid("scope", scope);
        requireId(bulkActionId);
        return tx.run((h, changes) -> store.cancel(h, scope, bulkActionId)
                .or(() -> store.get(h, scope, bulkActionId)) // finished already: answered as it is
                .orElseThrow(() -> notFound(bulkActionId)).action());
    }

    private static void requireId(String bulkActionId) {
        if (bulkActionId == null || !ID.matcher(bulkActionId).matches()) {
            throw NotFoundException.of("bulk_action_not_found", "bulk action does not exist");
        }
    }

    static NotFoundException notFound(String bulkActionId) {
        return NotFoundException.of("bulk_action_not_found", "bulk action '" + bulkActionId + "' does not exist");
    }
}
