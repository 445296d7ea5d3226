package io.runledger.core.internal.kernel;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The queue behind every group commit: who writes, what joins a group, in what order, and
 * what each caller is answered when the writer fails. Items are strings "kind:n"; two items
 * join when their kinds match; an item's weight is its n.
 */
class GroupCommitQueueTest {
    private final List<List<String>> groups = new CopyOnWriteArrayList<>();
    private final AtomicInteger writing = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final Map<String, Object> answers = new ConcurrentHashMap<>();

    private GroupCommit<String, String> queue(int parallel, int maxWeight, Consumer<List<GroupCommit.Entry<String, String>>> body) {
        return new GroupCommit<>(parallel, maxWeight, s -> Integer.parseInt(s.split(":")[1]),
                (group, next) -> kind(next).equals(kind(group.get(0))), group -> {
                    mostAtOnce.accumulateAndGet(writing.incrementAndGet(), Math::max);
                    try {
                        groups.add(group.stream().map(GroupCommit.Entry::item).toList());
                        if (group.stream().anyMatch(e -> e.item().startsWith("held"))) {
                            gate.await();
                        }
                        body.accept(group);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        writing.decrementAndGet();
                    }
                });
    }

    private static String kind(String item) {
        return item.split(":")[0];
    }

    private static void answerAll(List<GroupCommit.Entry<String, String>> group) {
        group.forEach(e -> e.answer("ok " + e.item()));
    }

    @Test
    void aLoneCallerWritesAtOnce() {
        GroupCommit<String, String> q = queue(2, 10, GroupCommitQueueTest::answerAll);
        assertThat(q.submit("a:1")).isEqualTo("ok a:1");
        assertThat(groups).containsExactly(List.of("a:1"));
    }

    @Test
    void callersQueuedWhileTheSlotsAreBusyAreWrittenInGroupsOfTheirKindInArrivalOrder() throws Exception {
        GroupCommit<String, String> q = queue(2, 6, GroupCommitQueueTest::answerAll);
        List<Thread> held = List.of(submit(q, "held:1"), submit(q, "held:1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 2);
        // queued one at a time, so their order in the queue is the order below
        List<String> queued = List.of("a:1", "b:1", "a:2", "a:2", "b:3", "a:1", "a:4", "b:3");
        List<Thread> callers = new ArrayList<>(held);
        callers.addAll(queueOneByOne(q, queued));
        releaseAndJoin(callers);
        queued.forEach(item -> assertThat(answers).containsEntry(item, "ok " + item));
        // never more than two groups at once; the head leads, its kind joins up to weight 6,
        // each group in arrival order (two leaders may record their groups in either order)
        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(groups.subList(2, groups.size())).containsExactlyInAnyOrder(
                List.of("a:1", "a:2", "a:2", "a:1"), List.of("b:1", "b:3"), List.of("a:4"), List.of("b:3"));
    }

    @Test
    void whatTheWriterLeavesUnansweredFailsWithWhatItThrew() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        GroupCommit<String, String> q = queue(1, 10, group -> {
            group.get(0).answer("first");
            throw boom;
        });
        Thread held = submit(q, "held:1");
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
        List<Thread> callers = new ArrayList<>(List.of(held));
        callers.addAll(queueOneByOne(q, List.of("x:1", "x:2", "x:3")));
        releaseAndJoin(callers);
        assertThat(answers).containsEntry("held:1", "first");
        assertThat(groups.get(1)).containsExactly("x:1", "x:2", "x:3");
        // the answer given before the throw stands; the others fail with what was thrown
        assertThat(answers).containsEntry("x:1", "first").containsEntry("x:2", boom).containsEntry("x:3", boom);
    }

    @Test
    void aCallerLeftUnansweredWithoutAFailureIsNotLeftWaiting() {
        GroupCommit<String, String> q = queue(1, 10, group -> { });
        assertThatThrownBy(() -> q.submit("a:1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unanswered");
    }

    @Test
    void anErrorReachesTheLeaderAndItsGroupIsAnsweredWithAFailure() throws Exception {
        GroupCommit<String, String> q = queue(1, 10, group -> {
            if (kind(group.get(0).item()).equals("e")) {
                throw new AssertionError("bug");
            }
            answerAll(group);
        });
        Thread held = submit(q, "held:1");
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
        List<Thread> callers = new ArrayList<>(List.of(held));
        callers.addAll(queueOneByOne(q, List.of("e:1", "e:2")));
        releaseAndJoin(callers);
        assertThat(groups.get(1)).containsExactly("e:1", "e:2");
        // whichever caller led the group gets the Error; the other a failure that carries it
        List<Object> outcomes = List.of(answers.get("e:1"), answers.get("e:2"));
        assertThat(outcomes).filteredOn(o -> o instanceof AssertionError).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof IllegalStateException ise
                && ise.getCause() instanceof AssertionError).hasSize(1);
        assertThat(callers).noneMatch(Thread::isAlive);
    }

    /** Submits the items one at a time, each once the one before waits, so they queue in this order. */
    private List<Thread> queueOneByOne(GroupCommit<String, String> q, List<String> items) {
        List<Thread> callers = new ArrayList<>();
        for (String item : items) {
            Thread t = submit(q, item);
            callers.add(t);
            await().atMost(Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.WAITING);
        }
        return callers;
    }

    /** Lets the held writers go and waits for every caller's answer. */
    private void releaseAndJoin(List<Thread> callers) throws InterruptedException {
        gate.countDown();
        for (Thread t : callers) {
            t.join(Duration.ofSeconds(10));
        }
    }

    private Thread submit(GroupCommit<String, String> q, String item) {
        return Thread.ofPlatform().start(() -> {
            try {
                answers.put(item, q.submit(item));
            } catch (RuntimeException | Error e) {
                answers.put(item, e);
            }
        });
    }
}
