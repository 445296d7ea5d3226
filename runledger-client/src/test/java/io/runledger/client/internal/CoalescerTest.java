package io.runledger.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The batching rule of the worker's completions and heartbeats: alone, a call goes out at
 * once; while a call is in flight, later ones queue and go together; each item gets its
 * own answer.
 */
class CoalescerTest {
    private final List<List<Integer>> sent = new CopyOnWriteArrayList<>();

    @Test
    void aLoneCallGoesOutAtOnceAndAlone() {
        Coalescer<Integer, String> c = new Coalescer<>(items -> {
            sent.add(items);
            return items.stream().map(i -> "ok" + i).toList();
        }, 100);
        assertThat(c.call(1)).isEqualTo("ok1");
        assertThat(c.call(2)).isEqualTo("ok2");
        assertThat(sent).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void callsMadeWhileOneIsInFlightGoTogetherInTheNextBatchUpToItsLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Coalescer<Integer, String> c = new Coalescer<>(items -> {
            sent.add(items);
            if (items.contains(0)) {
                hold(release);
            }
            return items.stream().map(i -> "ok" + i).toList();
        }, 4);
        Map<Integer, String> answers = new ConcurrentHashMap<>();
        List<Thread> callers = new ArrayList<>();
        callers.add(Thread.ofPlatform().start(() -> answers.put(0, c.call(0))));
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
        List<Thread> queued = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            int item = i;
            queued.add(Thread.ofPlatform().start(() -> answers.put(item, c.call(item))));
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                queued.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        release.countDown();
        callers.addAll(queued);
        for (Thread t : callers) {
            t.join(Duration.ofSeconds(10));
        }
        assertThat(answers).hasSize(7).allSatisfy((item, answer) -> assertThat(answer).isEqualTo("ok" + item));
        // the first alone, then the six queued ones in batches of at most four
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0)).containsExactly(0);
        assertThat(sent.get(1)).hasSize(4);
        assertThat(sent.get(2)).hasSize(2);
    }

    @Test
    void aFailedBatchCallFailsItsOwnItemsOnly() {
        Coalescer<Integer, String> c = new Coalescer<>(items -> {
            if (items.contains(13)) {
                throw new IllegalStateException("unreachable");
            }
            return items.stream().map(i -> "ok" + i).toList();
        }, 10);
        assertThatThrownBy(() -> c.call(13)).isInstanceOf(IllegalStateException.class).hasMessage("unreachable");
        assertThat(c.call(14)).isEqualTo("ok14");
    }

    @Test
    void anAnswerOfTheWrongLengthIsAFailureNotAMismatch() {
        Coalescer<Integer, String> c = new Coalescer<>(items -> List.of(), 10);
        assertThatThrownBy(() -> c.call(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered 0 items of 1");
    }

    private static void hold(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
