package io.runledger.client.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Turns concurrent single calls into batch calls. A caller that finds no batch call in
 * flight sends at once whatever has queued, its own item among them; callers that arrive
 * meanwhile queue and go together in the next call. One caller alone pays no delay; load
 * makes the batches (the same rule as a database's group commit), so no timer is needed.
 *
 * <p>The batch function answers each item on its own, in order. If the batch call as a
 * whole fails (the server unreachable, a refusal of the call), every item of it gets that
 * failure and its caller decides what to do, as it would have for a single call.
 *
 * @param <I> an item
 * @param <R> the answer to one item
 */
public final class Coalescer<I, R> {
    private final Function<List<I>, List<R>> send;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition answered = lock.newCondition();
    private final ArrayDeque<Pending<I, R>> queue = new ArrayDeque<>(); // guarded by lock
    private boolean sending; // guarded by lock

    public Coalescer(Function<List<I>, List<R>> send, int maxBatch) {
        this.send = Objects.requireNonNull(send, "send");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.maxBatch = maxBatch;
    }

    private static final class Pending<I, R> {
        final I item;
        R answer;
        RuntimeException failure;
        boolean done;

        Pending(I item) {
            this.item = item;
        }
    }

    /** Sends {@code item} with the next batch and returns its answer. */
    public R call(I item) {
        Pending<I, R> mine = new Pending<>(item);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (!sending) {
                    List<Pending<I, R>> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
                    while (!queue.isEmpty() && batch.size() < maxBatch) {
                        batch.add(queue.poll());
                    }
                    sending = true;
                    lock.unlock();
                    try {
                        deliver(batch);
                    } finally {
                        lock.lock();
                        sending = false;
                        answered.signalAll();
                    }
                } else {
                    answered.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.answer;
    }

    /** Sends one batch and records each item's answer; never throws. */
    private void deliver(List<Pending<I, R>> batch) {
        List<R> answers = null;
        RuntimeException failure = null;
        try {
            answers = send.apply(batch.stream().map(p -> p.item).toList());
            if (answers.size() != batch.size()) {
                failure = new IllegalStateException("the batch call answered " + answers.size() + " items of "
                        + batch.size());
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        lock.lock();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Pending<I, R> p = batch.get(i);
                if (failure == null) {
                    p.answer = answers.get(i);
                } else {
                    p.failure = failure;
                }
                p.done = true;
            }
        } finally {
            lock.unlock();
        }
    }
}
