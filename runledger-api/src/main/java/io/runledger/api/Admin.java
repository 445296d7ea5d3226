package io.runledger.api;

import java.util.List;

/** Scopes, their keys and their services: what an operator sets up before runs flow. */
public interface Admin {

    /** Creates the scope if it does not exist; returns true if it was created. */
    boolean scopePut(String scope);

    boolean scopeExists(String scope);

    /**
     * Creates a key that acts inside {@code scope} only. The key is in the answer this once;
     * only its hash is stored. {@code name} (optional) says what it is for.
     */
    NewScopeKey keyCreate(String scope, String name);

    /** The scope's keys, oldest first, never the keys themselves. */
    List<ScopeKey> keysList(String scope);

    /** Revokes a key at once, on every instance; 404 if the scope has no key with this id. */
    void keyDelete(String scope, String keyId);

    ServiceInfo servicePut(String scope, String service, ServiceSpec spec);

    ServiceInfo serviceGet(String scope, String service);

    List<ServiceInfo> servicesList(String scope);

    /**
     * Pauses a service: it still accepts triggers, but no lease takes its runs until
     * {@link #serviceResume}. Running runs are not touched. Idempotent; 404 if the service does not exist.
     */
    ServiceInfo servicePause(String scope, String service);

    /** Resumes a paused service: its queued runs are leasable again at once. Idempotent. */
    ServiceInfo serviceResume(String scope, String service);

    /**
     * Every service of the scope with its queue: how many runs are queued ({@code accepted})
     * and how long the oldest has waited; by service name.
     */
    List<QueueStat> queues(String scope);
}
