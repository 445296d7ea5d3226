package io.runledger.core.internal.leases;

import io.runledger.api.InvalidArgumentException;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Workers;
import io.runledger.core.internal.kernel.Tx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * The frame of a batched worker call: the call's own checks, one answer slot per item, and
 * one transaction in which the set-based statements settle all items at once. Items are
 * answered on their own; only a value PostgreSQL refuses to store (e.g. U+0000 in an
 * output) fails a set statement as a whole, and then the transaction is redone with each
 * item under its own SAVEPOINT, so the refusal rolls back that item only.
 */
final class ItemBatch<T> {
    private static final String SAVEPOINT = "runledger_item_";

    /** Settles the items at the given indexes, answering each through {@link #answer}. */
    @FunctionalInterface
    interface Work<T> {
        void run(Handle h, Tx.Changes changes, List<Integer> indexes, ItemBatch<T> batch);
    }

    private final Object[] answers;
    private final List<Integer> pending = new ArrayList<>();

    private ItemBatch(int size) {
        this.answers = new Object[size];
    }

    /**
     * Checks the call (1..{@link Workers#MAX_ITEMS} items, none null, no run named twice)
     * and opens its answers. A call that fails these checks is refused as a whole.
     */
    static <I, T> ItemBatch<T> open(List<I> items, Function<I, String> runId) {
        if (items == null || items.isEmpty() || items.size() > Workers.MAX_ITEMS) {
            throw new InvalidArgumentException("items must hold 1.." + Workers.MAX_ITEMS + " items");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            I item = items.get(i);
            if (item == null) {
                throw new InvalidArgumentException("items[" + i + "] must be an item, not null");
            }
            String id = runId.apply(item);
            if (id != null && !seen.add(id)) {
                // Two answers for one run in one transaction would be ambiguous: refuse the call.
                throw new InvalidArgumentException("items[" + i + "] names the same run as an earlier item;"
                        + " a call may name each run once");
            }
        }
        return new ItemBatch<>(items.size());
    }

    /** Item {@code i} passed its own checks and goes to the transaction. */
    void pending(int i) {
        pending.add(i);
    }

    void answer(int i, ItemOutcome<T> outcome) {
        answers[i] = outcome;
    }

    /** The items waiting for the transaction, in item order. */
    List<Integer> pendingItems() {
        return List.copyOf(pending);
    }

    /** Item {@code i} was settled before the transaction (by a statement of its own): it is left out of it. */
    void settledAlready(int i, ItemOutcome<T> outcome) {
        answers[i] = outcome;
        pending.remove(Integer.valueOf(i));
    }

    /** Runs the work over the pending items in one transaction; returns the answers in item order. */
    List<ItemOutcome<T>> settle(Tx tx, Work<T> work) {
        if (!pending.isEmpty()) {
            List<Integer> all = List.copyOf(pending);
            try {
                tx.run((h, changes) -> {
                    work.run(h, changes, all, this);
                    return null;
                });
            } catch (InvalidArgumentException unstorable) {
                // The transaction rolled back and wrote nothing: again, one savepoint per item.
                tx.run((h, changes) -> {
                    for (int i : all) {
                        itemAlone(h, changes, i, work);
                    }
                    return null;
                });
            }
        }
        @SuppressWarnings("unchecked")
        List<ItemOutcome<T>> list = (List<ItemOutcome<T>>) (List<?>) Arrays.asList(answers);
        if (list.contains(null)) {
            throw new IllegalStateException("a batched item was left unanswered");
        }
        return List.copyOf(list);
    }

    private void itemAlone(Handle h, Tx.Changes changes, int i, Work<T> work) {
        String savepoint = SAVEPOINT + i;
        h.savepoint(savepoint);
        try {
            work.run(h, changes, List.of(i), this);
        } catch (JdbiException e) {
            RuntimeException refusal = Tx.translate(e);
            if (!(refusal instanceof InvalidArgumentException bad)) {
                throw refusal;
            }
            h.rollbackToSavepoint(savepoint); // Jdbi forgets the savepoint; it ends with the transaction
            answer(i, ItemOutcome.failed(bad));
            return;
        }
        h.release(savepoint);
    }
}
