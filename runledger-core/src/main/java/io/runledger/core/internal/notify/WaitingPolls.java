package io.runledger.core.internal.notify;

import io.runledger.api.Lease;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lease polls of this instance that found nothing and are waiting, so that a trigger can
 * hand its run straight to one: the trigger's own transaction then writes the run already
 * leased to that poll's worker, and the poll answers with it as soon as the trigger commits.
 * The run skips the wake-up, the poll's claim transaction and its round trips, which is most
 * of the time from trigger to handler start on an idle system.
 *
 * <p>A poll {@linkplain Poll#open opens} an offer only after a claim found nothing, and its
 * wake-up ticket was taken before that claim, so a run that a trigger queued in between
 * still wakes it. A trigger {@linkplain #take takes} an offer before its transaction (the
 * poll can no longer give it up) and then either {@linkplain Offer#fill fills} it with the
 * lease after the commit or {@linkplain Offer#release releases} it, open again, when the run
 * was not written leased (the transaction failed, or the service was paused meanwhile). A poll
 * that ends its wait while its offer is taken waits for that outcome, so a run leased to it is
 * never dropped.
 */
public final class WaitingPolls {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ArrayDeque<Offer>> byScope = new ConcurrentHashMap<>(); // deques guarded by lock

    /** A poll of {@code workerId} for {@code services} of {@code scope}; settle it when the poll ends. */
    public Poll poll(String scope, List<String> services, String workerId) {
        return new Poll(scope, Set.copyOf(services), workerId);
    }

    /** How many polls wait with an open offer now (for tests and diagnostics). */
    public int waiting() {
        lock.lock();
        try {
            return byScope.values().stream().mapToInt(ArrayDeque::size).sum();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the offer that has waited longest among the polls of {@code scope} waiting for
     * {@code service}, or null. The caller must fill or release it.
     */
    public Offer take(String scope, String service) {
        ArrayDeque<Offer> offers = byScope.get(scope);
        if (offers == null) {
            return null; // the common case: nobody waits, no lock taken
        }
        lock.lock();
        try {
            for (Iterator<Offer> it = offers.iterator(); it.hasNext(); ) {
                Offer o = it.next();
                if (o.poll.services.contains(service)) {
                    it.remove();
                    if (offers.isEmpty()) {
                        byScope.remove(scope);
                    }
                    o.state = State.TAKEN;
                    return o;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private enum State { OPEN, TAKEN, FILLED, WITHDRAWN }

    /** One waiting period of a poll, offered to triggers. */
    public final class Offer {
        private final Poll poll;
        private final Condition decided = lock.newCondition();
        private State state = State.OPEN; // guarded by lock
        private Lease lease; // guarded by lock

        private Offer(Poll poll) {
            this.poll = poll;
        }

        public String workerId() {
            return poll.workerId;
        }

        /** Whether a trigger holds it and has neither filled nor released it yet. */
        public boolean taken() {
            lock.lock();
            try {
                return state == State.TAKEN;
            } finally {
                lock.unlock();
            }
        }

        /** The trigger committed the run leased to this poll's worker. */
        public void fill(Lease leased) {
            lock.lock();
            try {
                requireTaken();
                state = State.FILLED;
                lease = leased;
                decided.signalAll();
            } finally {
                lock.unlock();
            }
            WakeUps.Ticket waiting = poll.ticket;
            if (waiting != null) {
                waiting.nudge(); // this poll only: the trigger woke no one else
            }
        }

        /**
         * The trigger did not write its run leased: the offer is open again, first in line, as
         * if never taken (the poll is still waiting, or withdraws it as it settles).
         */
        public void release() {
            lock.lock();
            try {
                requireTaken();
                state = State.OPEN;
                byScope.computeIfAbsent(poll.scope, s -> new ArrayDeque<>()).addFirst(this);
                decided.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void requireTaken() {
            if (state != State.TAKEN) {
                throw new IllegalStateException("offer not taken: " + state);
            }
        }
    }

    /** A lease poll's side: at most one open offer at a time. */
    public final class Poll {
        private final String scope;
        private final Set<String> services;
        private final String workerId;
        private Offer current; // only the poll's own thread touches this field
        private volatile WakeUps.Ticket ticket; // the poll's wait, woken when its offer is filled

        /** The ticket the poll waits on: a filled offer wakes it. */
        public void waitsOn(WakeUps.Ticket waitTicket) {
            this.ticket = waitTicket;
        }

        private Poll(String scope, Set<String> services, String workerId) {
            this.scope = scope;
            this.services = services;
            this.workerId = workerId;
        }

        /** After a claim that found nothing, before waiting: triggers may hand a run to this poll. */
        public void open() {
            if (current != null) {
                throw new IllegalStateException("an offer is open already");
            }
            Offer offer = new Offer(this);
            lock.lock();
            try {
                byScope.computeIfAbsent(scope, s -> new ArrayDeque<>()).add(offer);
            } finally {
                lock.unlock();
            }
            current = offer;
        }

        /**
         * Withdraws the open offer; returns the lease a trigger handed to it meanwhile, or
         * null. Waits for a trigger that took the offer to commit or fail.
         */
        public Lease settle() {
            Offer offer = current;
            if (offer == null) {
                return null;
            }
            current = null;
            lock.lock();
            try {
                // Taken: the trigger's transaction is in flight and ends either way (its
                // owner fills or releases in a finally); a lease may not be left behind.
                while (offer.state == State.TAKEN) {
                    offer.decided.awaitUninterruptibly();
                }
                if (offer.state == State.OPEN) {
                    offer.state = State.WITHDRAWN;
                    ArrayDeque<Offer> offers = byScope.get(scope);
                    if (offers != null) {
                        offers.remove(offer);
                        if (offers.isEmpty()) {
                            byScope.remove(scope);
                        }
                    }
                    return null;
                }
                return offer.lease;
            } finally {
                lock.unlock();
            }
        }
    }
}
