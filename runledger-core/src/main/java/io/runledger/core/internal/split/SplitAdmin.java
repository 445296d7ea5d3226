package io.runledger.core.internal.split;

import io.runledger.api.Admin;
import io.runledger.api.NewScopeKey;
import io.runledger.api.Overview;
import io.runledger.api.OverviewWindow;
import io.runledger.api.QueueStat;
import io.runledger.api.ScopeKey;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The control plane (scopes, keys, services) is written and read on the main database, and
 * every write is mirrored into the runs database at once. What counts runs (queues, the
 * overview) adds up both stores.
 */
record SplitAdmin(Stores stores, ControlPlaneMirror mirror) implements Admin {

    private <T> T write(Supplier<T> onMain) {
        T result = onMain.get();
        mirror.sync();
        return result;
    }

    private Admin main() {
        return stores.main().admin();
    }

    @Override
    public boolean scopePut(String scope) {
        return write(() -> main().scopePut(scope));
    }

    @Override
    public boolean scopeExists(String scope) {
        return main().scopeExists(scope);
    }

    @Override
    public NewScopeKey keyCreate(String scope, String name) {
        return write(() -> main().keyCreate(scope, name));
    }

    @Override
    public List<ScopeKey> keysList(String scope) {
        return main().keysList(scope);
    }

    @Override
    public void keyDelete(String scope, String keyId) {
        write(() -> {
            main().keyDelete(scope, keyId);
            return null;
        });
    }

    @Override
    public ServiceInfo servicePut(String scope, String service, ServiceSpec spec) {
        return write(() -> main().servicePut(scope, service, spec));
    }

    @Override
    public ServiceInfo serviceGet(String scope, String service) {
        return main().serviceGet(scope, service);
    }

    @Override
    public List<ServiceInfo> servicesList(String scope) {
        return main().servicesList(scope);
    }

    @Override
    public ServiceInfo servicePause(String scope, String service) {
        return write(() -> main().servicePause(scope, service));
    }

    @Override
    public ServiceInfo serviceResume(String scope, String service) {
        return write(() -> main().serviceResume(scope, service));
    }

    @Override
    public List<QueueStat> queues(String scope) {
        return SplitMaintenance.addQueues(main().queues(scope), stores.runs().admin().queues(scope));
    }

    /**
     * The overview over both stores: counts and buckets added, the failure rate of the sums.
     * Durations are each store's own percentiles; the store with more settled runs in the
     * window speaks for both (percentiles of two stores cannot be added).
     */
    @Override
    public Overview overview(String scope, OverviewWindow window) {
        Overview onRuns = stores.runs().admin().overview(scope, window);
        Overview onMain = main().overview(scope, window);
        Map<String, Overview.ServiceOverview> old = new LinkedHashMap<>();
        onMain.services().forEach(s -> old.put(s.service(), s));
        List<Overview.ServiceOverview> services = new ArrayList<>();
        for (Overview.ServiceOverview a : onRuns.services()) {
            Overview.ServiceOverview b = old.get(a.service());
            services.add(b == null ? a : add(a, b));
        }
        return new Overview(scope, window, onRuns.from(), onRuns.to(), services);
    }

    private static Overview.ServiceOverview add(Overview.ServiceOverview a, Overview.ServiceOverview b) {
        // by start: a bucket boundary may pass between the two reads
        Map<java.time.Instant, Overview.Bucket> other = new LinkedHashMap<>();
        b.buckets().forEach(y -> other.put(y.start(), y));
        List<Overview.Bucket> buckets = new ArrayList<>();
        for (Overview.Bucket x : a.buckets()) {
            Overview.Bucket y = other.get(x.start());
            buckets.add(y == null ? x : new Overview.Bucket(x.start(), x.triggered() + y.triggered(),
                    x.succeeded() + y.succeeded(), x.failed() + y.failed(), x.cancelled() + y.cancelled(),
                    x.expired() + y.expired()));
        }
        long succeeded = a.succeeded() + b.succeeded();
        long failed = a.failed() + b.failed();
        Overview.ServiceOverview durations = a.succeeded() + a.failed() >= b.succeeded() + b.failed() ? a : b;
        return new Overview.ServiceOverview(a.service(), a.triggered() + b.triggered(), succeeded, failed,
                a.cancelled() + b.cancelled(), a.expired() + b.expired(),
                succeeded + failed == 0 ? null : (double) failed / (succeeded + failed),
                durations.durationP50Ms(), durations.durationP95Ms(), a.queued() + b.queued(),
                Math.max(a.oldestQueuedAgeSeconds(), b.oldestQueuedAgeSeconds()), a.running() + b.running(),
                a.waiting() + b.waiting(), buckets);
    }
}
