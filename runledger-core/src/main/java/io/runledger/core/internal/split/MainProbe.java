package io.runledger.core.internal.split;

import org.jdbi.v3.core.Jdbi;

/**
 * What a trigger asks of the main database before it creates a run on the runs database:
 * whether an idempotency key or a concurrency key is already in use there. A key's runs stay
 * in the store where the key was first used, so a repeat replays its first answer and one
 * concurrency key never has a holder in each store at once.
 */
public final class MainProbe {
    private final Jdbi main;

    public MainProbe(Jdbi main) {
        this.main = main;
    }

    /** Whether the main database holds this idempotency key (live or not: its store judges). */
    boolean idempotencyKey(String scope, String service, String key) {
        return main.withHandle(h -> h.createQuery("select exists (select 1 from idempotency_keys where scope_id = :scope"
                        + " and service = :service and idem_key = :key)")
                .bind("scope", scope).bind("service", service).bind("key", key).mapTo(Boolean.class).one());
    }

    /**
     * Whether a run of the main database holds or waits for this concurrency key, or a thread
     * of the main database owns it (a thread's runs live with the thread, whose state is
     * read from them).
     */
    boolean concurrencyKey(String scope, String key) {
        return main.withHandle(h -> h.createQuery("select exists (select 1 from runs where scope_id = :scope"
                        + " and concurrency_key = :key and status in ('accepted', 'scheduled', 'running', 'waiting'))"
                        + " or exists (select 1 from threads where scope_id = :scope and concurrency_key = :key)")
                .bind("scope", scope).bind("key", key).mapTo(Boolean.class).one());
    }
}
