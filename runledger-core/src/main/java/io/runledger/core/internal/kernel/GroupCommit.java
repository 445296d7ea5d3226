package io.runledger.core.internal.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers that arrive while the database is busy with earlier ones queue
 * their items here, and a caller that finds a slot free (at most {@code parallel} groups in
 * flight) takes the item at the head of the queue together with every queued item that may
 * join it, writes them in one statement or transaction, and answers each. A caller that
 * finds a slot free writes at once, so a lone caller waits for nothing; the grouping comes
 * only from load, as in PostgreSQL's own WAL group flush. The queue is served in arrival
 * order: an item that may not join a group waits at most for the groups ahead of it.
 *
 * <p>Whoever leads a group writes the items of the others in its own thread, so the writer
 * must not depend on which caller runs it. It answers each item on its own (a value or a
 * failure); an item it leaves unanswered fails with what the writer threw, or with an
 * {@link IllegalStateException} if it threw nothing.
 *
 * @param <I> what a caller asks
 * @param <R> what it is answered
 */
public final class GroupCommit<I, R> {
    /** Writes a group and answers each of its entries. */
    @FunctionalInterface
    public interface Writer<I, R> {
        void write(List<Entry<I, R>> group);
    }

    /** Whether {@code candidate} may join a group that holds {@code group} so far (never empty). */
    @FunctionalInterface
    public interface Joins<I> {
        boolean test(List<I> group, I candidate);
    }

    /** One caller's item, waiting in the queue or in a group, then answered. */
    public static final class Entry<I, R> {
        private final I item;
        private final GroupCommit<I, R> owner;
        /** Its caller waits on this alone: woken when answered, or when it may lead. */
        private final Condition wake;
        private R value; // guarded by owner.lock
        private RuntimeException failure;
        private boolean done;

        private Entry(GroupCommit<I, R> owner, I item) {
            this.owner = owner;
            this.item = item;
            this.wake = owner.lock.newCondition();
        }

        public I item() {
            return item;
        }

        /** Answers the caller at once, while the writer goes on with the others. */
        public void answer(R answer) {
            owner.settle(this, answer, null);
        }

        public void fail(RuntimeException e) {
            owner.settle(this, null, e);
        }
    }

    private final int parallel;
    private final int maxWeight;
    private final Weight<I> weight;
    private final Joins<I> joins;
    private final Writer<I, R> writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry<I, R>> queue = new ArrayDeque<>(); // guarded by lock
    private int writing; // guarded by lock

    /** What an item counts towards a group's {@code maxWeight} (e.g. the rows it may write). */
    @FunctionalInterface
    public interface Weight<I> {
        int of(I item);
    }

    /**
     * @param parallel  how many groups may be written at once
     * @param maxWeight what a group may hold at most; an item heavier alone still forms a group of one
     */
    public GroupCommit(int parallel, int maxWeight, Weight<I> weight, Joins<I> joins, Writer<I, R> writer) {
        if (parallel < 1 || maxWeight < 1) {
            throw new IllegalArgumentException("parallel and maxWeight must be at least 1");
        }
        this.parallel = parallel;
        this.maxWeight = maxWeight;
        this.weight = weight;
        this.joins = joins;
        this.writer = writer;
    }

    /** Writes the item with the next group it may join and returns its answer, or throws its failure. */
    public R submit(I item) {
        Entry<I, R> me = new Entry<>(this, item);
        lock.lock();
        try {
            queue.add(me);
            while (!me.done) {
                if (writing < parallel && !queue.isEmpty()) {
                    List<Entry<I, R>> group = takeGroup();
                    writing++;
                    wakeHead(); // another slot may be free for the next group
                    lock.unlock();
                    try {
                        write(group);
                    } finally {
                        lock.lock();
                        writing--;
                        wakeHead();
                    }
                } else {
                    me.wake.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (me.failure != null) {
            throw me.failure;
        }
        return me.value;
    }

    /**
     * Wakes the caller of the queue's head if a slot is free, to write the next group. One
     * caller, not all: each caller is woken only for its answer or to lead (held: lock).
     */
    private void wakeHead() {
        Entry<I, R> head = queue.peek();
        if (head != null && writing < parallel) {
            head.wake.signal();
        }
    }

    /** The head of the queue and every queued item that may join it, in arrival order. */
    private List<Entry<I, R>> takeGroup() {
        Entry<I, R> head = queue.poll();
        List<Entry<I, R>> group = new ArrayList<>();
        List<I> items = new ArrayList<>();
        group.add(head);
        items.add(head.item);
        int total = weight.of(head.item);
        for (Iterator<Entry<I, R>> it = queue.iterator(); it.hasNext() && total < maxWeight; ) {
            Entry<I, R> next = it.next();
            int w = weight.of(next.item);
            if (total + w <= maxWeight && joins.test(items, next.item)) {
                it.remove();
                group.add(next);
                items.add(next.item);
                total += w;
            }
        }
        return group;
    }

    private void write(List<Entry<I, R>> group) {
        Throwable thrown = null;
        try {
            writer.write(List.copyOf(group));
        } catch (RuntimeException | Error e) {
            thrown = e;
        }
        List<Entry<I, R>> unanswered = unanswered(group);
        if (!unanswered.isEmpty()) {
            RuntimeException failure = thrown instanceof RuntimeException re ? re
                    : new IllegalStateException("a grouped item was left unanswered", thrown);
            unanswered.forEach(e -> e.fail(failure));
        }
        if (thrown instanceof Error error) {
            throw error; // after every waiter has its answer
        }
    }

    private List<Entry<I, R>> unanswered(List<Entry<I, R>> group) {
        lock.lock();
        try {
            return group.stream().filter(e -> !e.done).toList();
        } finally {
            lock.unlock();
        }
    }

    private void settle(Entry<I, R> e, R value, RuntimeException failure) {
        lock.lock();
        try {
            if (e.done) {
                return; // the first answer stands
            }
            e.value = value;
            e.failure = failure;
            e.done = true;
            e.wake.signal();
        } finally {
            lock.unlock();
        }
    }
}
