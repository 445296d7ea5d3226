package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.NotFoundException;
import io.runledger.api.RetentionResult;
import io.runledger.api.RunError;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Signal;
import io.runledger.api.SuspendRequest;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointRef;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A service's {@code retentionDays}: its terminal runs that finished longer ago are deleted
 * with everything that belongs to them; nothing else is. Runs are made old by moving their
 * timestamps back in the database (setup: the engine reads its clock from the database).
 */
public abstract class RetentionContract extends ContractBase {

    private static final String FOREVER = "forever";

    private void retention(String service, Integer days) {
        ledger.admin().servicePut(SCOPE, service, new ServiceSpec(3, 30, null, null, null, IMMEDIATE, days));
    }

    /** Moves the runs back: created 40 days ago, and finished 35 days ago if they finished. */
    private static void age(String... runIds) {
        TestDatabase.sql("update runs set created_at = now() - interval '40 days',"
                + " finished_at = case when finished_at is not null then now() - interval '35 days' end"
                + " where run_id in ('" + String.join("','", runIds) + "')");
    }

    private static long rowsOf(String table, String runId) {
        return count("select count(*) from " + table + " where run_id = '" + runId + "'");
    }

    private boolean exists(String runId) {
        try {
            ledger.runs().get(SCOPE, runId);
            return true;
        } catch (NotFoundException e) {
            assertThat(e.code()).isEqualTo("run_not_found");
            return false;
        }
    }

    private String succeeded(String service) {
        String runId = ledger.runs().trigger(SCOPE, service, TriggerRequest.of(json())).runId();
        Lease lease = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(service), 1, Duration.ZERO))
                .getFirst();
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("ok", true));
        return runId;
    }

    @Test
    void retentionDaysIsValidatedDefaultedAndAnswered() {
        assertThat(ledger.admin().serviceGet(SCOPE, SERVICE).retentionDays()).isEqualTo(30);
        refused("invalid_argument", () -> retention("bad", -1));
        refused("invalid_argument", () -> retention("bad", 3651));
        retention(FOREVER, 0);
        assertThat(ledger.admin().serviceGet(SCOPE, FOREVER).retentionDays()).isZero();
        retention(SERVICE, 3650);
        assertThat(ledger.admin().serviceGet(SCOPE, SERVICE).retentionDays()).isEqualTo(3650);
        retention(SERVICE, null);
        assertThat(ledger.admin().serviceGet(SCOPE, SERVICE).retentionDays()).isEqualTo(30);
    }

    @Test
    void onlyTerminalRunsPastTheirServiceRetentionAreDeletedWithAllTheyOwn() {
        retention(SERVICE, 7);
        retention(FOREVER, 0);

        // an old run that did a bit of everything: a step, an event, a signal, a token, a key
        String rich = trigger(TriggerRequest.builder().input(json()).idempotencyKey("rich").build()).runId();
        Lease lease = leaseOne("w");
        ledger.workers().stepRecord(SCOPE, rich, "charge", lease.leaseToken(), json().put("paid", 1));
        ledger.workers().append(SCOPE, rich, lease.leaseToken(), List.of(new EventDraft("progress", json())));
        ledger.signals().send(SCOPE, rich, Signal.of("user.note", json()));
        NewWaitpoint owned = ledger.waitpoints().create(SCOPE, new WaitpointCreate(600L, null, List.of(), rich));
        ledger.workers().complete(SCOPE, rich, lease.leaseToken(), json());
        ledger.runs().issueAccessToken(SCOPE, rich, null);
        String failed = trigger().runId();
        ledger.workers().fail(SCOPE, failed, leaseOne("w").leaseToken(), RunError.of("boom", "broke"), false);
        String cancelled = trigger().runId();
        ledger.runs().cancel(SCOPE, cancelled, "no");
        // old but live: queued, running, waiting
        String queued = trigger(TriggerRequest.builder().input(json()).priority(-100).build()).runId();
        String running = trigger(TriggerRequest.builder().input(json()).priority(100).build()).runId();
        Lease held = leaseOne("w");
        assertThat(held.runId()).isEqualTo(running);
        String waiting = trigger(TriggerRequest.builder().input(json()).priority(100).build()).runId();
        Lease waits = leaseOne("w");
        NewWaitpoint token = ledger.waitpoints().create(SCOPE, new WaitpointCreate(3600L, null, List.of(), null));
        assertThat(ledger.workers().suspend(SCOPE, waiting, new SuspendRequest(waits.leaseToken(), "approve",
                List.of(WaitpointRef.token(token.waitpoint().waitpointId())), null, null)).suspended()).isTrue();
        // terminal but recent, and terminal and old in a service that keeps its runs forever
        String recent = succeeded(SERVICE);
        String kept = succeeded(FOREVER);
        ledger.runs().issueAccessToken(SCOPE, recent, null);
        // webhook deliveries: one of a run to delete; settled ones older and younger than 7 days
        TestDatabase.sql("insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type,"
                + " status) values ('acme', 'msg_rich', 'h', '" + rich + "', 1, 'run.accepted', 'pending'),"
                + " ('acme', 'msg_old', 'h', '" + recent + "', 1, 'run.accepted', 'delivered'),"
                + " ('acme', 'msg_dead', 'h', '" + recent + "', 2, 'run.started', 'dead'),"
                + " ('acme', 'msg_young', 'h', '" + recent + "', 3, 'run.succeeded', 'delivered'),"
                + " ('acme', 'msg_pending', 'h', '" + kept + "', 1, 'run.accepted', 'pending')");
        TestDatabase.sql("update webhook_deliveries set created_at = now() - interval '8 days'"
                + " where delivery_id in ('msg_old', 'msg_dead', 'msg_pending')");
        TestDatabase.sql("insert into webhook_attempts (scope_id, delivery_id, attempt, duration_ms) values"
                + " ('acme', 'msg_rich', 1, 5), ('acme', 'msg_old', 1, 5), ('acme', 'msg_young', 1, 5)");

        age(rich, failed, cancelled, queued, running, waiting, kept);
        long richEvents = ledger.runs().get(SCOPE, rich).lastSeq();
        long deletedEvents = richEvents + ledger.runs().get(SCOPE, failed).lastSeq()
                + ledger.runs().get(SCOPE, cancelled).lastSeq();

        RetentionResult result = maintenance().retention();

        assertThat(result.runs()).isEqualTo(3);
        assertThat(result.events()).isEqualTo(deletedEvents);
        assertThat(result.deliveries()).isEqualTo(3); // msg_rich with its run; msg_old and msg_dead by age
        for (String gone : List.of(rich, failed, cancelled)) {
            assertThat(exists(gone)).as(gone).isFalse();
            for (String table : List.of("run_events", "run_steps", "run_messages", "webhook_deliveries",
                    "idempotency_keys", "suspensions", "waitpoints", "run_access_tokens")) {
                assertThat(rowsOf(table, gone)).as(table + " of " + gone).isZero();
            }
        }
        assertThat(count("select count(*) from waitpoints where waitpoint_id = '"
                + owned.waitpoint().waitpointId() + "'")).isZero();
        assertThat(count("select count(*) from webhook_deliveries")).isEqualTo(2); // msg_young, msg_pending
        assertThat(count("select count(*) from webhook_attempts")).isEqualTo(1); // msg_young's
        assertThat(rowsOf("run_access_tokens", recent)).isEqualTo(1);
        assertThat(ledger.runs().get(SCOPE, queued).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(ledger.runs().get(SCOPE, running).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(ledger.runs().get(SCOPE, waiting).status()).isEqualTo(RunStatus.WAITING);
        assertThat(ledger.runs().get(SCOPE, recent).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(ledger.runs().get(SCOPE, kept).status()).isEqualTo(RunStatus.SUCCEEDED);
        for (String live : List.of(queued, running, waiting, recent, kept)) {
            assertThat(ledger.runs().events(SCOPE, live, 0, 100).items()).as(live)
                    .hasSize((int) ledger.runs().get(SCOPE, live).lastSeq());
        }
        // the key of a deleted run is free again: a new trigger with it is a new run
        assertThat(trigger(TriggerRequest.builder().input(json()).idempotencyKey("rich").build()).replayed())
                .isFalse();

        // the live runs carry on: the running one completes, the waiting one resumes
        ledger.workers().complete(SCOPE, running, held.leaseToken(), json());
        ledger.waitpoints().complete(SCOPE, token.waitpoint().waitpointId(), json().put("ok", true));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            maintenance().queue();
            return ledger.runs().get(SCOPE, waiting).status() == RunStatus.ACCEPTED;
        });
        assertThat(maintenance().retention().runs()).isZero();
    }

    @Test
    void aRunIsKeptWhileAnyRunOfItsTreeIsLive() {
        retention(SERVICE, 7);
        String parent = trigger().runId();
        Lease lease = leaseOne("w");
        String child = ledger.workers().triggerChild(SCOPE, parent, lease.leaseToken(), "sub", SERVICE,
                TriggerRequest.of(json())).runId();
        ledger.workers().complete(SCOPE, parent, lease.leaseToken(), json());
        age(parent);

        assertThat(maintenance().retention().runs()).isZero();
        assertThat(exists(parent)).isTrue();

        Lease childLease = leaseOne("w");
        assertThat(childLease.runId()).isEqualTo(child);
        ledger.workers().complete(SCOPE, child, childLease.leaseToken(), json());
        age(child);
        assertThat(maintenance().retention().runs()).isEqualTo(2);
        assertThat(exists(parent)).isFalse();
        assertThat(exists(child)).isFalse();
    }

    @Test
    void aWaitpointOnADeletedRunStaysForTheLiveRunWaitingOnIt() {
        retention(SERVICE, 7);
        String target = trigger(TriggerRequest.builder().input(json()).priority(-1).build()).runId();
        String waiter = trigger().runId();
        Lease waits = leaseOne("w");
        assertThat(waits.runId()).isEqualTo(waiter);
        NewWaitpoint token = ledger.waitpoints().create(SCOPE, new WaitpointCreate(3600L, null, List.of(), null));
        ledger.workers().suspend(SCOPE, waiter, new SuspendRequest(waits.leaseToken(), "both",
                List.of(WaitpointRef.run(target), WaitpointRef.token(token.waitpoint().waitpointId())), null, null));
        Lease targetLease = leaseOne("w");
        ledger.workers().complete(SCOPE, target, targetLease.leaseToken(), json().put("done", true));
        age(target);

        assertThat(maintenance().retention().runs()).isEqualTo(1);
        assertThat(exists(target)).isFalse();
        assertThat(count("select count(*) from waitpoints where target_run_id = '" + target + "'")).isEqualTo(1);

        ledger.waitpoints().complete(SCOPE, token.waitpoint().waitpointId(), json());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            maintenance().queue();
            return ledger.runs().get(SCOPE, waiter).status() == RunStatus.ACCEPTED;
        });
        Lease resumed = leaseOne("w");
        assertThat(resumed.resumed().toString()).contains("done");
    }

    @Test
    void theLedgerRefusesADeleteThatIsNotRetention() {
        String runId = trigger().runId();
        assertThatThrownBy(() -> TestDatabase.sql("delete from run_events where run_id = '" + runId + "'"))
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> TestDatabase.sql("update run_events set type = 'x' where run_id = '" + runId + "'"))
                .hasStackTraceContaining("append-only");
        assertThat(rowsOf("run_events", runId)).isEqualTo(1);
    }

    @Test
    void retentionDeletesWhileTriggersAndWorkersKeepGoingOnTheSameTables() throws Exception {
        retention(SERVICE, 7);
        // 2,500 old terminal runs: registered in batches, leased and completed in bulk, then aged
        List<String> old = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            List<TriggerRequest> items = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                items.add(TriggerRequest.of(json().put("i", i)));
            }
            ledger.batches().register(SCOPE, SERVICE, items).receipts().forEach(r -> old.add(r.runId()));
            List<Lease> leases = lease("bulk", 500);
            ledger.workers().completeAll(SCOPE, leases.stream()
                    .map(l -> new Completion(l.runId(), l.leaseToken(), json())).toList());
        }
        TestDatabase.sql("update runs set created_at = now() - interval '40 days',"
                + " finished_at = now() - interval '35 days'");

        AtomicBoolean going = new AtomicBoolean(true);
        Set<String> fresh = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> traffic = pool.submit(() -> {
                while (going.get()) {
                    String runId = trigger().runId();
                    fresh.add(runId);
                    Lease l = leaseOne("live");
                    ledger.workers().complete(SCOPE, l.runId(), l.leaseToken(), json());
                }
                return null;
            });
            long deleted = 0;
            while (deleted < old.size()) {
                long n = maintenance().retention().runs();
                deleted += n;
                assertThat(n > 0 || deleted == old.size()).as("progress").isTrue();
            }
            going.set(false);
            traffic.get();
        } finally {
            going.set(false);
            pool.shutdownNow();
        }
        assertThat(count("select count(*) from runs where run_id in ('" + String.join("','", old) + "')")).isZero();
        assertThat(fresh).isNotEmpty();
        for (String runId : fresh) {
            assertThat(ledger.runs().get(SCOPE, runId).status()).as(runId).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(count("select count(*) from runs")).isEqualTo(fresh.size());
    }
}
