package io.runledger.core.internal.admin;

import io.runledger.api.Admin;
import io.runledger.api.ApiKeys;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NewScopeKey;
import io.runledger.api.NotFoundException;
import io.runledger.api.Overview;
import io.runledger.api.OverviewWindow;
import io.runledger.api.QueueStat;
import io.runledger.api.RetryPolicy;
import io.runledger.api.ScopeKey;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Retries;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.schema.InputSchemas;
import io.runledger.core.internal.store.OverviewStore;
import io.runledger.core.internal.store.ScopeKeyStore;
import io.runledger.core.internal.store.ServiceStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scopes, their keys and their services. */
public final class AdminOps implements Admin {
    private static final Logger log = LoggerFactory.getLogger(AdminOps.class);
    private static final int MAX_DESCRIPTION = 4096;
    private static final int MAX_KEY_NAME = 200;
    private static final int MAX_SCHEMA_BYTES = 256 * 1024;

    private final Tx tx;
    private final ServiceStore store;
    private final InputSchemas schemas;
    private final ScopeKeyStore keys;
    private final OverviewQuery overview;
    private final KeyCache keyCache = new KeyCache();

    public AdminOps(Tx tx, ServiceStore store, ScopeKeyStore keys, OverviewStore overview, InputSchemas schemas) {
        this.tx = tx;
        this.store = store;
        this.keys = keys;
        this.overview = new OverviewQuery(overview);
        this.schemas = schemas;
    }

    @Override
    public boolean scopePut(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.run((h, changes) -> store.scopeInsert(h, scope));
    }

    @Override
    public boolean scopeExists(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> store.scopeExists(h, scope));
    }

    @Override
    public NewScopeKey keyCreate(String scope, String name) {
        InvalidNameException.requireValid("scope", scope);
        Limits.optionalText("name", name, MAX_KEY_NAME);
        String key = ApiKeys.generate(ApiKeys.SCOPE_PREFIX);
        ScopeKey created = tx.run((h, changes) -> {
            requireScope(h, scope);
            return keys.keyInsert(h, scope, ApiKeys.hash(key), name);
        });
        log.info("key {} created for scope {}", created.keyId(), scope);
        return new NewScopeKey(key, created);
    }

    @Override
    public List<ScopeKey> keysList(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> {
            requireScope(h, scope);
            return keys.keysList(h, scope);
        });
    }

    @Override
    public void keyDelete(String scope, String keyId) {
        InvalidNameException.requireValid("scope", scope);
        boolean deleted = tx.run((h, changes) -> {
            requireScope(h, scope);
            return keyId != null && keys.keyDelete(h, scope, keyId);
        });
        if (!deleted) {
            String shown = keyId == null ? "" : keyId.length() > 80 ? keyId.substring(0, 80) + "..." : keyId;
            throw NotFoundException.of("key_not_found", "scope '" + scope + "' has no key '" + shown + "'");
        }
        long committed = System.nanoTime();
        keyCache.revoked(scope, keyId);
        log.info("key {} of scope {} revoked", keyId, scope);
        // Answered only once no instance remembers the key: from then on it is refused everywhere.
        KeyCache.awaitForgotten(committed);
    }

    /**
     * The scope and key id of a presented scope key, if it is one. A key confirmed by the
     * database is used for up to a second without reading it again ({@link KeyCache}); a
     * revocation waits that second out, so once {@link #keyDelete} returned, the key is refused
     * on every instance. Records the use at most once a minute.
     */
    public Optional<ScopeKey> keyVerify(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(presented);
        Optional<ScopeKeyStore.Found> remembered = keyCache.remembered(hash);
        if (remembered.isPresent()) {
            return remembered.map(f -> new ScopeKey(f.scope(), f.keyId(), null, null, null));
        }
        Optional<ScopeKeyStore.Found> found = keyCache.read(hash, k -> tx.read(h -> keys.keyLookup(h, k)));
        found.filter(ScopeKeyStore.Found::touchDue).ifPresent(f -> tx.run((h, changes) -> {
            keys.keyTouch(h, f.scope(), f.keyId());
            return null;
        }));
        return found.map(f -> new ScopeKey(f.scope(), f.keyId(), null, null, null));
    }

    private void requireScope(Handle h, String scope) {
        if (!store.scopeExists(h, scope)) {
            throw NotFoundException.scope(scope);
        }
    }

    @Override
    public ServiceInfo servicePut(String scope, String service, ServiceSpec spec) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        ServiceSpec s = spec == null ? ServiceSpec.defaults() : spec;
        int maxAttempts = s.maxAttempts() == null ? ServiceSpec.DEFAULT_MAX_ATTEMPTS : s.maxAttempts();
        int leaseTtl = s.leaseTtlSeconds() == null ? ServiceSpec.DEFAULT_LEASE_TTL_SECONDS : s.leaseTtlSeconds();
        Limits.range("maxAttempts", maxAttempts, 1, Limits.MAX_ATTEMPTS);
        Limits.range("leaseTtlSeconds", leaseTtl, 1, Limits.MAX_LEASE_TTL_SECONDS);
        if (s.concurrencyLimit() != null) {
            Limits.range("concurrencyLimit", s.concurrencyLimit(), 1, 1_000_000);
        }
        if (s.description() != null && s.description().length() > MAX_DESCRIPTION) {
            throw new InvalidArgumentException("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        Limits.requireSize("inputSchema", s.inputSchema(), MAX_SCHEMA_BYTES);
        schemas.requireValidSchema(s.inputSchema());
        Retries.requireValid("retry", s.retry());
        int retentionDays = s.retentionDays() == null ? ServiceSpec.DEFAULT_RETENTION_DAYS : s.retentionDays();
        Limits.range("retentionDays", retentionDays, 0, ServiceSpec.MAX_RETENTION_DAYS);
        ServiceSpec normalized = new ServiceSpec(maxAttempts, leaseTtl,
                s.inputSchema() == null || s.inputSchema().isNull() ? null : s.inputSchema(),
                s.concurrencyLimit(), s.description(),
                s.retry() == null ? null : s.retry().over(RetryPolicy.DEFAULT), retentionDays);
        return tx.run((h, changes) -> {
            requireScope(h, scope);
            changes.serviceChanged(scope, service);
            return store.serviceUpsert(h, scope, service, maxAttempts, leaseTtl, normalized);
        });
    }

    @Override
    public ServiceInfo serviceGet(String scope, String service) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        return tx.read(h -> store.serviceGet(h, scope, service)
                .orElseThrow(() -> NotFoundException.service(scope, service)));
    }

    @Override
    public List<ServiceInfo> servicesList(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> {
            requireScope(h, scope);
            return store.servicesList(h, scope);
        });
    }

    @Override
    public List<QueueStat> queues(String scope) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> {
            requireScope(h, scope);
            return store.queuesOfScope(h, scope);
        });
    }

    @Override
    public Overview overview(String scope, OverviewWindow window) {
        InvalidNameException.requireValid("scope", scope);
        Objects.requireNonNull(window, "window");
        return tx.read(h -> {
            requireScope(h, scope);
            return overview.read(h, scope, window);
        });
    }

    @Override
    public ServiceInfo servicePause(String scope, String service) {
        return pausedSet(scope, service, true);
    }

    @Override
    public ServiceInfo serviceResume(String scope, String service) {
        return pausedSet(scope, service, false);
    }

    /**
     * The lease statement reads the flag itself; the NOTIFY drops every instance's cached
     * copy so the service shows it at once, and a resume wakes the scope's waiting polls.
     */
    private ServiceInfo pausedSet(String scope, String service, boolean paused) {
        InvalidNameException.requireValid("scope", scope);
        InvalidNameException.requireValid("service", service);
        return tx.run((h, changes) -> {
            ServiceInfo info = store.servicePausedSet(h, scope, service, paused).orElseGet(() -> {
                requireScope(h, scope);
                throw NotFoundException.service(scope, service);
            });
            changes.serviceChanged(scope, service);
            if (!paused) {
                changes.work(scope);
            }
            return info;
        });
    }
}
