package io.runledger.core.internal.split;

import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActionStatus;
import io.runledger.api.BulkActions;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.core.internal.bulk.BulkOps;
import io.runledger.core.internal.kernel.RunIds;
import java.util.ArrayList;
import java.util.List;

/**
 * A bulk action over both stores is one action in each under the same id, each acting on
 * the runs of its own database with its own snapshot; it is shown as one, its counts added,
 * running while either part runs. Created on the runs database first: its id (and its
 * idempotency key, if any) decides; the main database's part takes the same id.
 */
record SplitBulkActions(Stores stores, BulkOps runsBulk, BulkOps mainBulk) implements BulkActions {
    @Override
    public BulkAction create(String scope, BulkActionRequest request) {
        // a resident id: the action is found on the runs database, its part on main is its twin
        BulkAction onRuns = runsBulk.create(scope, request, RunIds.of(true).bulkAction());
        BulkAction onMain = mainBulk.create(scope, request, onRuns.bulkActionId());
        return combine(onRuns, onMain);
    }

    @Override
    public int count(String scope, BulkActionRequest request) {
        return stores.runs().bulkActions().count(scope, request) + stores.main().bulkActions().count(scope, request);
    }

    @Override
    public BulkAction get(String scope, String bulkActionId) {
        if (!RunIds.resident(bulkActionId)) {
            return stores.main().bulkActions().get(scope, bulkActionId); // from before the split
        }
        return combine(stores.runs().bulkActions().get(scope, bulkActionId), mainPart(scope, bulkActionId));
    }

    /** The actions of both stores newest first; a twin on main is shown with its action, not again. */
    @Override
    public Page<BulkAction> list(String scope, int limit, String cursor) {
        Page<BulkAction> onRuns = stores.runs().bulkActions().list(scope, limit, cursor);
        List<BulkAction> combined = new ArrayList<>();
        for (BulkAction a : onRuns.items()) {
            combined.add(combine(a, mainPart(scope, a.bulkActionId())));
        }
        Page<BulkAction> onMain = stores.main().bulkActions().list(scope, limit, cursor);
        List<BulkAction> before = onMain.items().stream().filter(a -> !RunIds.resident(a.bulkActionId())).toList();
        return Pages.merge(new Page<>(combined, onRuns.nextCursor()), new Page<>(before, onMain.nextCursor()), limit,
                BulkAction::createdAt, BulkAction::bulkActionId);
    }

    @Override
    public BulkAction cancel(String scope, String bulkActionId) {
        if (!RunIds.resident(bulkActionId)) {
            return stores.main().bulkActions().cancel(scope, bulkActionId);
        }
        BulkAction onRuns = stores.runs().bulkActions().cancel(scope, bulkActionId);
        BulkAction onMain = mainPart(scope, bulkActionId) == null ? null
                : stores.main().bulkActions().cancel(scope, bulkActionId);
        return combine(onRuns, onMain);
    }

    private BulkAction mainPart(String scope, String id) {
        try {
            return stores.main().bulkActions().get(scope, id);
        } catch (NotFoundException e) {
            return null; // created before the split, or by an instance without it: runs part only
        }
    }

    private static BulkAction combine(BulkAction a, BulkAction b) {
        if (b == null) {
            return a;
        }
        BulkActionStatus status = !a.status().isFinal() || !b.status().isFinal() ? BulkActionStatus.RUNNING
                : a.status() == BulkActionStatus.CANCELLED || b.status() == BulkActionStatus.CANCELLED
                ? BulkActionStatus.CANCELLED : a.status();
        return new BulkAction(a.bulkActionId(), a.scope(), a.action(), a.filter(), a.reason(), status,
                a.matched() + b.matched(), a.processed() + b.processed(), a.skipped() + b.skipped(),
                a.failed() + b.failed(), a.createdAt(), a.updatedAt().isAfter(b.updatedAt()) ? a.updatedAt()
                : b.updatedAt(), status.isFinal() ? max(a.finishedAt(), b.finishedAt()) : null);
    }

    private static java.time.Instant max(java.time.Instant x, java.time.Instant y) {
        return x == null ? y : y == null ? x : x.isAfter(y) ? x : y;
    }
}
