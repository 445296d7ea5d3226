package io.runledger.core.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.api.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-over between a waiting poll and the trigger that took its offer, raced by real threads. */
class WaitingPollsTest {
    private final WaitingPolls polls = new WaitingPolls();

    @Test
    void aPollThatEndsItsWaitWhileATriggerHoldsItsOfferWaitsForTheOutcomeAndKeepsTheRun() throws Exception {
        WaitingPolls.Poll poll = polls.poll("s", List.of("work"), "w1");
        poll.open();
        WaitingPolls.Offer offer = polls.take("s", "work");
        assertThat(offer.workerId()).isEqualTo("w1");
        assertThat(polls.waiting()).isZero();

        // The poll's wait ends (its deadline) while the trigger's transaction is in flight.
        CompletableFuture<Lease> settled = CompletableFuture.supplyAsync(poll::settle, r -> Thread.ofVirtual().start(r));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !settled.isDone());
        Lease lease = new Lease("r1", "work", null, 1, "token", Instant.now(), null, null, true);
        offer.fill(lease);

        assertThat(settled.get(5, TimeUnit.SECONDS)).isEqualTo(lease);
    }

    @Test
    void aReleasedOfferIsOpenAgainFirstInLineAndAWithdrawnOneIsGone() {
        WaitingPolls.Poll first = polls.poll("s", List.of("work"), "w1");
        WaitingPolls.Poll second = polls.poll("s", List.of("work", "other"), "w2");
        first.open();
        second.open();

        WaitingPolls.Offer taken = polls.take("s", "work");
        assertThat(taken.workerId()).isEqualTo("w1");
        taken.release();
        assertThat(polls.waiting()).isEqualTo(2);
        assertThat(polls.take("s", "work").workerId()).isEqualTo("w1");

        assertThat(polls.take("s", "missing")).isNull();
        assertThat(polls.take("t", "work")).isNull();
        assertThat(second.settle()).isNull(); // withdrawn: open, never taken
        assertThat(polls.take("s", "other")).isNull();
        assertThat(polls.waiting()).isZero();
    }

    @Test
    void manyTriggersRacingManyPollsHandEachPollAtMostOneRunAndLoseNone() throws Exception {
        int pollsCount = 50;
        List<WaitingPolls.Poll> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < pollsCount; i++) {
            WaitingPolls.Poll p = polls.poll("s", List.of("work"), "w" + i);
            p.open();
            waiting.add(p);
        }
        java.util.Set<String> handedTo = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 100; t++) {
                int n = t;
                threads.submit(() -> {
                    WaitingPolls.Offer o = polls.take("s", "work");
                    if (o != null) {
                        assertThat(handedTo.add(o.workerId())).isTrue();
                        handed.incrementAndGet();
                        o.fill(new Lease("r" + n, "work", null, 1, "t" + n, Instant.now(), null, null, true));
                    }
                });
            }
        }
        int got = 0;
        for (WaitingPolls.Poll p : waiting) {
            if (p.settle() != null) {
                got++;
            }
        }
        assertThat(handed.get()).isEqualTo(pollsCount);
        assertThat(got).isEqualTo(pollsCount);
        assertThat(polls.waiting()).isZero();
    }
}
