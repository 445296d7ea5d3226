package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.AgentThread;
import io.runledger.api.ConflictException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.NotFoundException;
import io.runledger.api.OnConflict;
import io.runledger.api.PayloadTooLargeException;
import io.runledger.api.Receipt;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;
import io.runledger.api.SuspendRequest;
import io.runledger.api.ThreadCreated;
import io.runledger.api.ThreadQuery;
import io.runledger.api.ThreadRun;
import io.runledger.api.ThreadStatus;
import io.runledger.api.Threads;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointRef;
import io.runledger.core.testing.LedgerTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Threads: stored metadata, and a status, values and runs derived from the runs of the thread's key. */
class ThreadsTest extends LedgerTestBase {

    private Threads threads() {
        return ledger.threads();
    }

    private Receipt triggerOn(AgentThread thread, OnConflict mode, int n) {
        return trigger(TriggerRequest.builder().input(json().put("n", n)).concurrencyKey(thread.concurrencyKey())
                .onConflict(mode).build());
    }

    private AgentThread newThread() {
        return threads().create(SCOPE, null, null, true).thread();
    }

    @Test
    void aThreadIsCreatedOnceAndFoundByItsIdInAnyCase() {
        ThreadCreated first = threads().create(SCOPE, "0190F3A8-5B2C-7D3E-8F40-123456789ABC",
                json().put("user", "ann"), true);
        assertThat(first.created()).isTrue();
        AgentThread t = first.thread();
        assertThat(t.threadId()).isEqualTo("0190f3a8-5b2c-7d3e-8f40-123456789abc");
        assertThat(t.status()).isEqualTo(ThreadStatus.IDLE);
        assertThat(t.metadata().get("user").asText()).isEqualTo("ann");
        assertThat(t.values()).isNull();
        assertThat(t.concurrencyKey()).startsWith("thread:" + t.threadId() + ":");

        ThreadCreated again = threads().create(SCOPE, t.threadId(), json().put("user", "bob"), false);
        assertThat(again.created()).isFalse();
        assertThat(again.thread().metadata().get("user").asText()).isEqualTo("ann");
        assertThatThrownBy(() -> threads().create(SCOPE, t.threadId(), null, true))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("thread_exists"));
        assertThatThrownBy(() -> threads().create(SCOPE, "not-a-uuid", null, true))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> threads().get(SCOPE, "not-a-uuid"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("thread_not_found"));
        assertThatThrownBy(() -> threads().create("nope", null, null, true))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("scope_not_found"));
        // generated ids are UUIDv7
        assertThat(newThread().threadId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void theStatusAndValuesFollowTheRunsOfTheThread() {
        AgentThread t = newThread();
        Receipt first = triggerOn(t, OnConflict.REJECT, 1);
        assertThat(threads().get(SCOPE, t.threadId()).status()).isEqualTo(ThreadStatus.BUSY);
        Lease lease = leaseOne("w");
        ledger.workers().complete(SCOPE, first.runId(), lease.leaseToken(), json().put("answer", 42));
        AgentThread done = threads().get(SCOPE, t.threadId());
        assertThat(done.status()).isEqualTo(ThreadStatus.IDLE);
        assertThat(done.values().get("answer").asInt()).isEqualTo(42);
        assertThat(done.valuesRunId()).isEqualTo(first.runId());
        assertThat(done.lastRunId()).isEqualTo(first.runId());
        assertThat(done.activeRunId()).isNull();

        Receipt second = triggerOn(t, OnConflict.REJECT, 2);
        Lease lease2 = leaseOne("w");
        ledger.workers().fail(SCOPE, second.runId(), lease2.leaseToken(), new RunError("boom", "broke", null), false);
        AgentThread failed = threads().get(SCOPE, t.threadId());
        assertThat(failed.status()).isEqualTo(ThreadStatus.ERROR);
        assertThat(failed.values().get("answer").asInt()).as("values of the latest success").isEqualTo(42);
        assertThat(failed.lastRunId()).isEqualTo(second.runId());

        // a run removed from the thread no longer counts for its status or its listing
        threads().runRemove(SCOPE, t.threadId(), second.runId());
        assertThat(threads().get(SCOPE, t.threadId()).status()).isEqualTo(ThreadStatus.IDLE);
        assertThat(threads().runs(SCOPE, t.threadId(), List.of(), 10, 0)).extracting(r -> r.run().runId())
                .containsExactly(first.runId());
        assertThatThrownBy(() -> threads().run(SCOPE, t.threadId(), second.runId()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
        assertThat(threads().run(SCOPE, null, second.runId()).run().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void aRunWaitingOnAPendingTokenInterruptsItsThreadAndOtherWaitsKeepItBusy() {
        AgentThread t = newThread();
        Receipt run = triggerOn(t, OnConflict.REJECT, 1);
        Receipt queued = triggerOn(t, OnConflict.ENQUEUE, 2);
        Lease lease = leaseOne("w");
        NewWaitpoint token = ledger.waitpoints().create(SCOPE, WaitpointCreate.token());
        ledger.workers().suspend(SCOPE, run.runId(), new SuspendRequest(lease.leaseToken(), "ask",
                List.of(WaitpointRef.token(token.waitpoint().waitpointId())), null, null));
        AgentThread interrupted = threads().get(SCOPE, t.threadId());
        assertThat(interrupted.status()).isEqualTo(ThreadStatus.INTERRUPTED);
        assertThat(interrupted.activeRunId()).isEqualTo(run.runId());
        List<ThreadRun> runs = threads().runs(SCOPE, t.threadId(), List.of(), 10, 0);
        assertThat(runs).extracting(r -> r.run().runId()).containsExactly(queued.runId(), run.runId());
        assertThat(runs).extracting(ThreadRun::interrupted).containsExactly(false, true);
        assertThat(threads().search(SCOPE, new ThreadQuery(null, null, ThreadStatus.INTERRUPTED,
                ThreadQuery.Sort.CREATED_AT, false, 10, 0))).extracting(AgentThread::threadId).containsExactly(t.threadId());
        assertThat(threads().count(SCOPE, new ThreadQuery(null, null, ThreadStatus.IDLE,
                ThreadQuery.Sort.CREATED_AT, false, 10, 0))).isZero();

        ledger.waitpoints().complete(SCOPE, token.waitpoint().waitpointId(), json().put("ok", true));
        assertThat(threads().get(SCOPE, t.threadId()).status()).isEqualTo(ThreadStatus.BUSY);
        assertThat(threads().run(SCOPE, t.threadId(), run.runId()).interrupted()).isFalse();

        // waiting on time is no interrupt
        Lease again = leaseOne("w");
        ledger.workers().suspend(SCOPE, run.runId(), new SuspendRequest(again.leaseToken(), "nap",
                List.of(WaitpointRef.duration(3600)), null, null));
        assertThat(threads().get(SCOPE, t.threadId()).status()).isEqualTo(ThreadStatus.BUSY);
        assertThat(threads().runs(SCOPE, t.threadId(), List.of(RunStatus.WAITING), 10, 0))
                .extracting(r -> r.run().runId()).containsExactly(run.runId());
    }

    @Test
    void searchFiltersSortsAndPagesAndMetadataMerges() {
        AgentThread a = threads().create(SCOPE, null, json().put("team", "red").put("n", 1), true).thread();
        AgentThread b = threads().create(SCOPE, null, json().put("team", "blue"), true).thread();
        AgentThread c = threads().create(SCOPE, null, json().put("team", "red").put("n", 3), true).thread();
        assertThat(threads().search(SCOPE, ThreadQuery.all(10))).extracting(AgentThread::threadId)
                .containsExactly(c.threadId(), b.threadId(), a.threadId());
        assertThat(threads().search(SCOPE, new ThreadQuery(json().put("team", "red"), null, null,
                ThreadQuery.Sort.CREATED_AT, true, 10, 0))).extracting(AgentThread::threadId)
                .containsExactly(a.threadId(), c.threadId());
        assertThat(threads().search(SCOPE, new ThreadQuery(null, null, null, ThreadQuery.Sort.CREATED_AT, true, 1, 1)))
                .extracting(AgentThread::threadId).containsExactly(b.threadId());
        assertThat(threads().search(SCOPE, new ThreadQuery(null, List.of(b.threadId(), "junk"), null,
                ThreadQuery.Sort.UPDATED_AT, false, 10, 0))).extracting(AgentThread::threadId)
                .containsExactly(b.threadId());
        assertThat(threads().count(SCOPE, new ThreadQuery(json().put("team", "red"), null, null,
                ThreadQuery.Sort.CREATED_AT, false, 10, 0))).isEqualTo(2);
        assertThat(threads().search("other", ThreadQuery.all(10))).isEmpty();

        AgentThread merged = threads().update(SCOPE, a.threadId(), json().put("n", 2).put("topic", "x"));
        assertThat(merged.metadata()).isEqualTo(json().put("team", "red").put("n", 2).put("topic", "x"));
        assertThat(merged.updatedAt()).isAfterOrEqualTo(a.updatedAt());
        String big = "x".repeat(40_000);
        threads().update(SCOPE, a.threadId(), json().put("big1", big));
        assertThatThrownBy(() -> threads().update(SCOPE, a.threadId(), json().put("big2", big)))
                .isInstanceOf(PayloadTooLargeException.class);

        threads().delete(SCOPE, b.threadId());
        assertThatThrownBy(() -> threads().get(SCOPE, b.threadId())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> threads().delete(SCOPE, b.threadId())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aThreadCreatedAgainAfterADeleteDoesNotInheritTheOldRuns() {
        AgentThread t = newThread();
        triggerOn(t, OnConflict.REJECT, 1);
        threads().delete(SCOPE, t.threadId());
        AgentThread reborn = threads().create(SCOPE, t.threadId(), null, true).thread();
        assertThat(reborn.concurrencyKey()).isNotEqualTo(t.concurrencyKey());
        assertThat(reborn.status()).isEqualTo(ThreadStatus.IDLE);
        assertThat(threads().runs(SCOPE, t.threadId(), List.of(), 10, 0)).isEmpty();
    }
}
