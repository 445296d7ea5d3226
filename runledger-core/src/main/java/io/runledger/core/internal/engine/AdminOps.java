package io.runledger.core.internal.engine;

import io.runledger.api.Admin;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.core.internal.store.ServiceStore;
import java.util.List;

/** Scope and service registration. */
public final class AdminOps implements Admin {
    private static final int MAX_DESCRIPTION = 4096;
    private static final int MAX_SCHEMA_BYTES = 256 * 1024;

    private final Tx tx;
    private final ServiceStore store;
    private final InputSchemas schemas;

    public AdminOps(Tx tx, ServiceStore store, InputSchemas schemas) {
        this.tx = tx;
        this.store = store;
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
        ServiceSpec normalized = new ServiceSpec(maxAttempts, leaseTtl,
                s.inputSchema() == null || s.inputSchema().isNull() ? null : s.inputSchema(),
                s.concurrencyLimit(), s.description());
        return tx.run((h, changes) -> {
            if (!store.scopeExists(h, scope)) {
                throw NotFoundException.scope(scope);
            }
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
            if (!store.scopeExists(h, scope)) {
                throw NotFoundException.scope(scope);
            }
            return store.servicesList(h, scope);
        });
    }
}
