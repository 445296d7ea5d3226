package io.runledger.core.internal.webhooks;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deliveries in flight on this dispatcher, in total and per target (host:port), so that one
 * slow target holds at most {@code perTarget} of them and never the slots of the others.
 * While a target has deliveries in flight it also remembers which webhooks point at it, so
 * the next claim can skip those webhooks once the target is at its cap.
 */
final class TargetSlots {
    private final int perTarget;
    private final int total;
    private final Lock lock = new ReentrantLock();
    private final Map<String, Target> targets = new HashMap<>();
    private int inFlight;

    private static final class Target {
        int inFlight;
        final Set<String> webhooks = new HashSet<>();
    }

    TargetSlots(int perTarget, int total) {
        if (perTarget < 1 || total < perTarget) {
            throw new IllegalArgumentException("need 1 <= perTarget <= total");
        }
        this.perTarget = perTarget;
        this.total = total;
    }

    /** The target of a URL: lower-cased host and port, the scheme's default if none is given. */
    static String targetOf(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        return url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    int free() {
        lock.lock();
        try {
            return total - inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot for {@code webhook} at {@code target}, or returns false if the target or all slots are taken. */
    boolean tryAcquire(String target, String webhook) {
        lock.lock();
        try {
            if (inFlight >= total) {
                return false;
            }
            Target t = targets.get(target);
            if (t != null) {
                t.webhooks.add(webhook);
                if (t.inFlight >= perTarget) {
                    return false;
                }
            } else {
                t = new Target();
                t.webhooks.add(webhook);
                targets.put(target, t);
            }
            t.inFlight++;
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void release(String target) {
        lock.lock();
        try {
            Target t = targets.get(target);
            if (t == null) {
                return;
            }
            inFlight--;
            if (--t.inFlight == 0) {
                targets.remove(target);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Webhooks whose target is at its cap: the next claim skips them. */
    List<String> busyWebhooks() {
        lock.lock();
        try {
            List<String> busy = new ArrayList<>();
            for (Target t : targets.values()) {
                if (t.inFlight >= perTarget) {
                    busy.addAll(t.webhooks);
                }
            }
            return busy;
        } finally {
            lock.unlock();
        }
    }
}
