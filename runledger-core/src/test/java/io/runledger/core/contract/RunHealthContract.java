package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Ledger;
import io.runledger.api.OnConflict;
import io.runledger.api.Page;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Signal;
import io.runledger.api.SuspendRequest;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointRef;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Health filters on the run list (retrying, stuck, silent) and each run's lastEventAt. The
 * runs are built through the api; only the passing of time is simulated, by moving a run's
 * timestamps back in SQL (the targets' background loops are off, so no sweep or queue pass
 * runs unless the test asks for one).
 */
public abstract class RunHealthContract extends ContractBase {
    private static final String OTHER = "other";
    private static final String PAUSED = "paused";

    private void services() {
        ledger.admin().servicePut(SCOPE, OTHER, new ServiceSpec(3, 30, null, null, null, IMMEDIATE));
        ledger.admin().servicePut(SCOPE, PAUSED, new ServiceSpec(3, 30, null, null, null, IMMEDIATE));
    }

    private String trigger(String service, TriggerRequest request) {
        return ledger.runs().trigger(SCOPE, service, request).runId();
    }

    /** A new run of {@code service}, leased: the service has no other leasable run when this is called. */
    private Lease start(String service) {
        String runId = trigger(service, TriggerRequest.of(json()));
        return leaseAgain(service, runId);
    }

    private Lease leaseAgain(String service, String runId) {
        List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(service), 1, Duration.ZERO));
        assertThat(leases).extracting(Lease::runId).containsExactly(runId);
        return leases.get(0);
    }

    private void failRetryably(Lease lease) {
        ledger.workers().fail(SCOPE, lease.runId(), lease.leaseToken(), new RunError("boom", "try again", null), true);
    }

    private void suspendOnToken(Lease lease) {
        String token = ledger.waitpoints().create(SCOPE, WaitpointCreate.token()).waitpoint().waitpointId();
        ledger.workers().suspend(SCOPE, lease.runId(), new SuspendRequest(lease.leaseToken(), "approval",
                List.of(WaitpointRef.token(token)), null, null));
    }

    /** Ten minutes pass for these columns of the run (and nothing else happens to it). */
    private static void tenMinutesAgo(String runId, String... columns) {
        StringBuilder set = new StringBuilder();
        for (String c : columns) {
            set.append(set.isEmpty() ? "" : ", ").append(c).append(" = ").append(c).append(" - interval '10 minutes'");
        }
        TestDatabase.sql("update runs set " + set + " where run_id = '" + runId + "'");
    }

    private static void quietForTenMinutes(String runId) {
        tenMinutesAgo(runId, "created_at", "updated_at", "last_event_at");
    }

    private List<String> list(RunFilter filter) {
        return ledger.runs().list(SCOPE, filter).items().stream().map(Run::runId).toList();
    }

    private List<String> list(RunHealth health) {
        return list(RunFilter.all().withHealth(health));
    }

    /** The runs newest first by (createdAt, runId), as every list answers. */
    private List<String> newestFirst(String... runIds) {
        List<Run> runs = new ArrayList<>();
        for (String id : runIds) {
            runs.add(ledger.runs().get(SCOPE, id));
        }
        runs.sort(Comparator.comparing(Run::createdAt).thenComparing(Run::runId).reversed());
        return runs.stream().map(Run::runId).toList();
    }

    /** Every page of one item, cursor after cursor. */
    private List<String> pageByPage(RunFilter filter) {
        List<String> ids = new ArrayList<>();
        RunFilter next = filter.withLimit(1);
        while (true) {
            Page<Run> page = ledger.runs().list(SCOPE, next);
            page.items().forEach(r -> ids.add(r.runId()));
            if (page.nextCursor() == null) {
                return ids;
            }
            assertThat(page.items()).hasSize(1);
            next = next.withCursor(page.nextCursor());
        }
    }

    @Test
    void eachHealthFilterFindsExactlyTheRunsInThatConditionAndCombinesWithTheOtherFilters() {
        services();
        // running runs first (a lease takes the oldest queued run, so each is leased alone)
        String stuckLease = start(SERVICE).runId();
        TestDatabase.sql("update runs set lease_expires_at = now() - interval '1 minute' where run_id = '"
                + stuckLease + "'");
        String silent = start(SERVICE).runId();
        tenMinutesAgo(silent, "last_event_at");
        Lease beating = start(SERVICE);
        tenMinutesAgo(beating.runId(), "last_event_at");
        ledger.workers().heartbeat(SCOPE, beating.runId(), beating.leaseToken()); // a heartbeat is no event
        Lease revived = start(SERVICE);
        tenMinutesAgo(revived.runId(), "last_event_at");
        ledger.workers().append(SCOPE, revived.runId(), revived.leaseToken(),
                List.of(new EventDraft("progress", json().put("pct", 50))));
        String running = start(SERVICE).runId();

        Lease first = start(SERVICE);
        failRetryably(first);
        String retryingRunning = leaseAgain(SERVICE, first.runId()).runId();
        Lease second = start(SERVICE);
        failRetryably(second);
        Lease secondAgain = leaseAgain(SERVICE, second.runId());
        suspendOnToken(secondAgain);
        String retryingWaiting = second.runId();
        Lease third = start(SERVICE);
        failRetryably(third);
        Lease thirdAgain = leaseAgain(SERVICE, third.runId());
        ledger.workers().complete(SCOPE, third.runId(), thirdAgain.leaseToken(), json()); // succeeded at attempt 2
        String once = trigger(SERVICE, TriggerRequest.builder().input(json()).maxAttempts(1).build());
        Lease onceLease = leaseAgain(SERVICE, once);
        failRetryably(onceLease); // no attempt left: failed
        Lease waits = start(SERVICE);
        suspendOnToken(waits);
        quietForTenMinutes(waits.runId()); // waiting by design: neither stuck nor silent

        String holder = trigger(SERVICE, TriggerRequest.builder().input(json()).concurrencyKey("k").build());
        leaseAgain(SERVICE, holder);
        String keyWaiter = trigger(SERVICE, TriggerRequest.builder().input(json()).concurrencyKey("k")
                .onConflict(OnConflict.ENQUEUE).build());
        quietForTenMinutes(keyWaiter); // queued behind the key's holder, which is healthy

        String silentOther = start(OTHER).runId();
        tenMinutesAgo(silentOther, "last_event_at");
        Lease otherLease = start(OTHER);
        failRetryably(otherLease);
        String retryingOther = otherLease.runId();
        String stuckOther = trigger(OTHER, TriggerRequest.of(json()));
        quietForTenMinutes(stuckOther);

        Lease fourth = start(SERVICE);
        failRetryably(fourth); // queued again at attempt 2, just now
        String retryingQueued = fourth.runId();
        tenMinutesAgo(retryingQueued, "created_at"); // created long ago, but back in the queue just now

        // queued runs only from here on
        String stuckQueued = trigger(SERVICE, TriggerRequest.of(json()));
        quietForTenMinutes(stuckQueued);
        String requeued = trigger(SERVICE, TriggerRequest.of(json()));
        tenMinutesAgo(requeued, "created_at");
        String fresh = trigger(SERVICE, TriggerRequest.of(json()));
        String overdue = trigger(SERVICE, TriggerRequest.builder().input(json())
                .runAt(Instant.now().plusSeconds(3600)).build());
        TestDatabase.sql("update runs set run_at = now() - interval '10 minutes', created_at = created_at - interval"
                + " '20 minutes', updated_at = updated_at - interval '20 minutes' where run_id = '" + overdue + "'");
        String later = trigger(SERVICE, TriggerRequest.builder().input(json())
                .runAt(Instant.now().plusSeconds(3600)).build());
        String paused = trigger(PAUSED, TriggerRequest.of(json()));
        ledger.admin().servicePause(SCOPE, PAUSED);
        quietForTenMinutes(paused);
        String cancelled = trigger(SERVICE, TriggerRequest.of(json()));
        ledger.runs().cancel(SCOPE, cancelled, null);
        quietForTenMinutes(cancelled);

        Ledger beta = target.open("beta");
        beta.admin().servicePut("beta", SERVICE, new ServiceSpec(3, 30, null, null, null, IMMEDIATE));
        String foreign = beta.runs().trigger("beta", SERVICE, TriggerRequest.of(json())).runId();
        quietForTenMinutes(foreign);

        List<String> retrying = newestFirst(retryingRunning, retryingWaiting, retryingOther, retryingQueued);
        List<String> stuck = newestFirst(stuckLease, stuckOther, stuckQueued, overdue);
        List<String> silentRuns = newestFirst(silent, beating.runId(), silentOther);
        assertThat(list(RunHealth.RETRYING)).containsExactlyElementsOf(retrying);
        assertThat(list(RunHealth.STUCK)).containsExactlyElementsOf(stuck);
        assertThat(list(RunHealth.SILENT)).containsExactlyElementsOf(silentRuns);
        assertThat(list(RunFilter.all())).contains(revived.runId(), running, requeued, fresh, later, paused,
                keyWaiter, holder, once, cancelled, waits.runId()).doesNotContain(foreign);

        // with the other filters
        assertThat(list(RunFilter.all().withHealth(RunHealth.RETRYING).withService(OTHER))).containsExactly(retryingOther);
        assertThat(list(RunFilter.all().withHealth(RunHealth.STUCK).withService(OTHER))).containsExactly(stuckOther);
        assertThat(list(RunFilter.all().withHealth(RunHealth.SILENT).withService(OTHER))).containsExactly(silentOther);
        assertThat(list(RunFilter.all().withHealth(RunHealth.STUCK).withService(PAUSED))).isEmpty();
        assertThat(list(RunFilter.all().withHealth(RunHealth.RETRYING).withStatus(RunStatus.WAITING)))
                .containsExactly(retryingWaiting);
        assertThat(list(RunFilter.all().withHealth(RunHealth.STUCK).withStatus(RunStatus.RUNNING)))
                .containsExactly(stuckLease);
        assertThat(list(RunFilter.all().withHealth(RunHealth.STUCK).withStatus(RunStatus.SCHEDULED)))
                .containsExactly(overdue);
        assertThat(list(RunFilter.all().withHealth(RunHealth.SILENT).withStatus(RunStatus.ACCEPTED))).isEmpty();
        assertThat(list(RunFilter.all().withHealth(RunHealth.STUCK).withConcurrencyKey("k"))).isEmpty();

        // page by page, one run a page, the same runs in the same order
        assertThat(pageByPage(RunFilter.all().withHealth(RunHealth.RETRYING))).containsExactlyElementsOf(retrying);
        assertThat(pageByPage(RunFilter.all().withHealth(RunHealth.STUCK))).containsExactlyElementsOf(stuck);
        assertThat(pageByPage(RunFilter.all().withHealth(RunHealth.SILENT))).containsExactlyElementsOf(silentRuns);

        // thresholds: ten minutes is not stuck or silent after twenty; an expired lease is stuck whatever the threshold
        assertThat(list(RunFilter.all().withHealth(RunHealth.STUCK).withStuckAfterSeconds(1200)))
                .containsExactly(stuckLease);
        assertThat(list(RunFilter.all().withHealth(RunHealth.SILENT).withSilentForSeconds(1200))).isEmpty();
        assertThat(list(RunFilter.all().withHealth(RunHealth.SILENT).withSilentForSeconds(540)))
                .containsExactlyElementsOf(silentRuns);

        // another scope's runs are its own
        assertThat(beta.runs().list("beta", RunFilter.all().withHealth(RunHealth.STUCK)).items())
                .extracting(Run::runId).containsExactly(foreign);

        // the sweeper recovers the expired lease: no longer stuck, now retrying
        maintenance().sweep();
        assertThat(list(RunHealth.STUCK)).doesNotContain(stuckLease);
        assertThat(list(RunHealth.RETRYING)).contains(stuckLease);
    }

    @Test
    void aRunningRunWithoutEventsTurnsSilentAfterTheThreshold() {
        Lease quiet = start(SERVICE);
        Lease chatty = start(SERVICE);
        RunFilter silentForOne = RunFilter.all().withHealth(RunHealth.SILENT).withSilentForSeconds(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            // the chatty run writes an event on every poll, the quiet one only heartbeats
            ledger.workers().append(SCOPE, chatty.runId(), chatty.leaseToken(),
                    List.of(new EventDraft("progress", json())));
            ledger.workers().heartbeat(SCOPE, quiet.runId(), quiet.leaseToken());
            return list(silentForOne).contains(quiet.runId());
        });
        assertThat(list(silentForOne)).containsExactly(quiet.runId());
    }

    @Test
    void badHealthArgumentsAreRefused() {
        assertThatThrownBy(() -> RunHealth.fromWire("sick")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> RunFilter.all().withStuckAfterSeconds(0)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> RunFilter.all().withSilentForSeconds(2_592_001))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(RunFilter.all().withStuckAfterSeconds(2_592_000).withSilentForSeconds(1).health()).isNull();
        assertThat(RunHealth.valueOf("STUCK").wireName()).isEqualTo("stuck");
    }

    @Test
    void lastEventAtIsTheTimeOfTheLatestEventWhateverTheRunsHistory() {
        List<String> runs = new ArrayList<>();
        runs.add(trigger(SERVICE, TriggerRequest.builder().input(json()).runAt(Instant.now().plusSeconds(3600)).build()));
        runs.addAll(ledger.batches().register(SCOPE, SERVICE, List.of(TriggerRequest.of(json()),
                TriggerRequest.of(json()))).receipts().stream().map(io.runledger.api.Receipt::runId).toList());
        for (String queued : List.copyOf(runs.subList(1, 3))) {
            ledger.runs().cancel(SCOPE, queued, "not needed"); // cancelled while queued
        }

        Lease started = start(SERVICE); // stays running: trigger and start
        runs.add(started.runId());
        Lease eventful = start(SERVICE); // worker events, a step, a heartbeat, a signal, then success
        runs.add(eventful.runId());
        ledger.workers().append(SCOPE, eventful.runId(), eventful.leaseToken(),
                List.of(new EventDraft("progress", json().put("pct", 10)), new EventDraft("log", json())));
        ledger.workers().stepRecord(SCOPE, eventful.runId(), "fetch", eventful.leaseToken(), json().put("v", 1));
        ledger.workers().heartbeat(SCOPE, eventful.runId(), eventful.leaseToken());
        ledger.signals().send(SCOPE, eventful.runId(), Signal.of("user.note", json()));
        ledger.workers().complete(SCOPE, eventful.runId(), eventful.leaseToken(), json());
        Lease failing = start(SERVICE); // a retry, then a terminal failure
        runs.add(failing.runId());
        failRetryably(failing);
        Lease failingAgain = leaseAgain(SERVICE, failing.runId());
        ledger.workers().fail(SCOPE, failing.runId(), failingAgain.leaseToken(), new RunError("fatal", "no", null), false);
        Lease suspended = start(SERVICE); // suspend, resume by a token, start again
        runs.add(suspended.runId());
        String token = ledger.waitpoints().create(SCOPE, WaitpointCreate.token()).waitpoint().waitpointId();
        ledger.workers().suspend(SCOPE, suspended.runId(), new SuspendRequest(suspended.leaseToken(), "s",
                List.of(WaitpointRef.token(token)), null, null));
        ledger.waitpoints().complete(SCOPE, token, json());
        leaseAgain(SERVICE, suspended.runId());
        Lease stopped = start(SERVICE); // a stop requested, the lease lost, cancelled by the sweep
        runs.add(stopped.runId());
        ledger.runs().cancel(SCOPE, stopped.runId(), "stop");
        TestDatabase.sql("update runs set lease_expires_at = now() - interval '1 second' where run_id = '"
                + stopped.runId() + "'");
        Lease lost = start(SERVICE); // a lease expiry recovered by the sweep
        runs.add(lost.runId());
        TestDatabase.sql("update runs set lease_expires_at = now() - interval '1 second' where run_id = '"
                + lost.runId() + "'");
        maintenance().sweep();
        String expiring = trigger(SERVICE, TriggerRequest.of(json())); // expired before a start
        runs.add(expiring);
        TestDatabase.sql("update runs set expires_at = now() - interval '1 second' where run_id = '" + expiring + "'");
        String due = runs.get(0); // promoted to the queue by a queue pass
        TestDatabase.sql("update runs set run_at = now() - interval '1 second' where run_id = '" + due + "'");
        maintenance().queue();
        assertThat(ledger.runs().get(SCOPE, due).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(ledger.runs().get(SCOPE, expiring).status()).isEqualTo(RunStatus.EXPIRED);

        for (String runId : runs) {
            Run run = ledger.runs().get(SCOPE, runId);
            List<RunEvent> events = ledger.runs().events(SCOPE, runId, 0, 1000).items();
            Instant latest = events.stream().map(RunEvent::createdAt).max(Comparator.naturalOrder()).orElseThrow();
            assertThat(run.lastEventAt()).as(runId + " " + events.stream().map(RunEvent::type).toList())
                    .isEqualTo(latest);
            if (!runId.equals(due)) { // its run_at was moved in SQL, behind the ledger's back
                io.runledger.api.RebuildResult rebuilt = ledger.runs().rebuildProjection(SCOPE, runId);
                assertThat(rebuilt.changed()).as(rebuilt.toString()).isFalse();
            }
        }
        assertThat(ledger.runs().list(SCOPE, RunFilter.all().withLimit(RunFilter.MAX_LIMIT)).items())
                .allSatisfy(r -> assertThat(r.lastEventAt()).isEqualTo(ledger.runs().get(SCOPE, r.runId()).lastEventAt()));
        assertThat(count("select count(*) from runs r where last_event_at is distinct from"
                + " (select max(created_at) from run_events e where e.scope_id = r.scope_id and e.run_id = r.run_id)"))
                .isZero();
        assertThat(count("select count(*) from runs")).isEqualTo(runs.size());
        // what a run settled before lastEventAt was stored answers instead: its terminal event's time
        assertThat(count("select count(*) from runs r where finished_at is not null and finished_at <>"
                + " (select max(created_at) from run_events e where e.scope_id = r.scope_id and e.run_id = r.run_id)"))
                .isZero();
        assertThat(count("select count(*) from runs where finished_at is not null")).isEqualTo(6);
    }
}
