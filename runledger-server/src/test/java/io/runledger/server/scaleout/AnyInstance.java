package io.runledger.server.scaleout;

import io.runledger.server.testing.Http;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

/**
 * Requests to whichever server process is up, as a client behind a load balancer sends them:
 * an instance is picked at random among the live ones, and a request whose connection fails
 * (the instance was killed under it) is sent again to another. Only requests that may be
 * repeated go through here (idempotent triggers, fenced worker calls, cancels, reads).
 */
final class AnyInstance {
    private static final int ATTEMPTS = 10;

    private final ServeProcesses procs;
    private final String key;
    private final AtomicInteger failovers = new AtomicInteger();
    private final AtomicIntegerArray answered;

    AnyInstance(ServeProcesses procs, String key) {
        this.procs = procs;
        this.key = key;
        this.answered = new AtomicIntegerArray(procs.size());
    }

    /** An answer and the instance that gave it. */
    record Answer(int instance, Http.Reply reply) {
    }

    Http http(int instance) {
        return new Http(procs.url(instance), key);
    }

    /** A live instance, other than {@code avoid} when another is up (-1: any). */
    int pick(Random random, int avoid) {
        return pick(random, Set.of(avoid));
    }

    /** A live instance not in {@code avoid} if there is one, else any live one. */
    private int pick(Random random, Set<Integer> avoid) {
        List<Integer> live = procs.live();
        if (live.isEmpty()) {
            throw new IllegalStateException("no server process is up");
        }
        List<Integer> others = live.stream().filter(i -> !avoid.contains(i)).toList();
        List<Integer> from = others.isEmpty() ? live : others;
        return from.get(random.nextInt(from.size()));
    }

    Answer call(Random random, Function<Http, Http.Reply> request) {
        return call(random, -1, request);
    }

    /**
     * Sends {@code request} to a live instance, not {@code avoid} if another is up; when the
     * connection fails, to another that has not failed it yet.
     */
    Answer call(Random random, int avoid, Function<Http, Http.Reply> request) {
        UncheckedIOException last = null;
        Set<Integer> avoided = new HashSet<>(Set.of(avoid));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int instance = pick(random, avoided);
            try {
                Http.Reply reply = request.apply(http(instance));
                answered.incrementAndGet(instance);
                return new Answer(instance, reply);
            } catch (UncheckedIOException e) {
                last = e;
                avoided.add(instance);
                failovers.incrementAndGet();
            }
        }
        throw new IllegalStateException("no instance answered after " + ATTEMPTS + " attempts", last);
    }

    /** Requests sent again to another instance after a connection failed. */
    int failovers() {
        return failovers.get();
    }

    /** How many answers instance {@code i} gave so far. */
    int answered(int i) {
        return answered.get(i);
    }

    /** How many answers each instance gave. */
    String answeredPerInstance() {
        return answered.toString();
    }
}
