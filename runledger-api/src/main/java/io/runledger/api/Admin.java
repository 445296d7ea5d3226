package io.runledger.api;

import java.util.List;

/** Scopes, their keys and their services: what an operator sets up before runs flow. */
public interface Admin {

    /**
     * Creates the scope if it does not exist; returns true if it was created.
     *
     * @param scope the scope's name
     * @return true if it was created, false if it existed
     */
    boolean scopePut(String scope);

    /**
     * Whether the scope exists.
     *
     * @param scope the scope's name
     * @return true if it does
     */
    boolean scopeExists(String scope);

    /**
     * Creates a key that acts inside {@code scope} only. The key is in the answer this once;
     * only its hash is stored. {@code name} (optional) says what it is for.
     *
     * @param scope the scope
     * @param name what the key is for, or null
     * @return the key, shown this once, and what is kept of it
     */
    NewScopeKey keyCreate(String scope, String name);

    /**
     * The scope's keys, oldest first, never the keys themselves.
     *
     * @param scope the scope
     * @return its keys
     */
    List<ScopeKey> keysList(String scope);

    /**
     * Revokes a key on every instance; 404 if the scope has no key with this id. Returns once
     * no instance accepts the key any more (instances use a confirmed key for up to a second
     * without reading it again, and this waits that second out).
     *
     * @param scope the scope
     * @param keyId the key's id
     * @throws NotFoundException {@code key_not_found} if the scope has no such key
     */
    void keyDelete(String scope, String keyId);

    /**
     * Creates or replaces a service: its defaults for the runs triggered from now on.
     *
     * @param scope the scope
     * @param service the service's name
     * @param spec its defaults; null fields take the engine's
     * @return the service with its effective defaults
     */
    ServiceInfo servicePut(String scope, String service, ServiceSpec spec);

    /**
     * A service with its effective defaults.
     *
     * @param scope the scope
     * @param service the service
     * @return it
     * @throws NotFoundException if there is no such service in the scope
     */
    ServiceInfo serviceGet(String scope, String service);

    /**
     * Every service of the scope, by name.
     *
     * @param scope the scope
     * @return the services
     */
    List<ServiceInfo> servicesList(String scope);

    /**
     * Pauses a service: it still accepts triggers, but no lease takes its runs until
     * {@link #serviceResume}. Running runs are not touched. Idempotent; 404 if the service does not exist.
     *
     * @param scope the scope
     * @param service the service
     * @return the service, paused
     */
    ServiceInfo servicePause(String scope, String service);

    /**
     * Resumes a paused service: its queued runs are leasable again at once. Idempotent.
     *
     * @param scope the scope
     * @param service the service
     * @return the service, not paused
     */
    ServiceInfo serviceResume(String scope, String service);

    /**
     * Every service of the scope with its queue: how many runs are queued ({@code accepted})
     * and how long the oldest has waited; by service name.
     *
     * @param scope the scope
     * @return one entry per service
     */
    List<QueueStat> queues(String scope);

    /**
     * How the scope's services are doing over a window: runs triggered and settled per
     * bucket, failure rate, durations, and the queue, running and waiting runs now.
     *
     * @param scope the scope
     * @param window the window
     * @return one entry per service of the scope
     */
    Overview overview(String scope, OverviewWindow window);
}
