package io.runledger.server.auth;

import io.javalin.http.Context;
import io.runledger.api.ApiKeys;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.ScopeKey;
import io.runledger.server.http.HttpProblem;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Checks {@code Authorization: Bearer <key>}. The admin key is compared by hash in memory;
 * scope keys by the hash stored in {@code scope_keys}. A key of another scope gets the same
 * 404 as a scope that does not exist, so scopes cannot be probed.
 */
public final class Authenticator {
    private static final String BEARER = "Bearer ";

    private final String adminKeyHash;
    private final Function<String, Optional<ScopeKey>> scopeKeys;

    /**
     * {@code scopeKeys} says which scope key a presented key is, if any (the engine's
     * {@code scopeKeyVerify}: looked up on every request, never cached, so a revoked key is
     * refused at once on every instance).
     */
    public Authenticator(String adminKeyHash, Function<String, Optional<ScopeKey>> scopeKeys) {
        this.adminKeyHash = Objects.requireNonNull(adminKeyHash, "adminKeyHash");
        this.scopeKeys = Objects.requireNonNull(scopeKeys, "scopeKeys");
    }

    public Caller authenticate(Context ctx) {
        String key = bearer(ctx);
        if (ApiKeys.sameHash(ApiKeys.hash(key), adminKeyHash)) {
            return Caller.ADMIN;
        }
        ScopeKey found = scopeKeys.apply(key).orElseThrow(() -> HttpProblem.unauthorized("the key is not valid"));
        return Caller.ofScope(found.scope(), found.keyId());
    }

    /**
     * Requires the admin key or the key whose hash is {@code otherHash} (e.g. a metrics
     * token; may be null). Scope keys are refused, and the database is not consulted.
     */
    public void requireAdminOr(Context ctx, String otherHash) {
        String hash = ApiKeys.hash(bearer(ctx));
        boolean admin = ApiKeys.sameHash(hash, adminKeyHash);
        boolean other = otherHash != null && ApiKeys.sameHash(hash, otherHash);
        if (!admin && !other) {
            throw HttpProblem.unauthorized("the key is not valid here");
        }
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw HttpProblem.unauthorized("an 'Authorization: Bearer <key>' header is required");
        }
        String key = header.substring(BEARER.length()).strip();
        if (key.isEmpty()) {
            throw HttpProblem.unauthorized("the bearer key is empty");
        }
        return key;
    }

    /** The path's scope and the caller acting in it. */
    public record Access(String scope, Caller caller) {
    }

    /** Authenticates and returns the path's scope and the caller, if the caller may act in it. */
    public Access access(Context ctx) {
        Caller caller = authenticate(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        if (!caller.mayActIn(scope)) {
            throw NotFoundException.scope(scope);
        }
        MDC.put("scope", scope);
        return new Access(scope, caller);
    }

    /** Authenticates and returns the path's scope if the caller may act in it. */
    public String scope(Context ctx) {
        return access(ctx).scope();
    }

    /** Authenticates and requires the admin key (scope management). */
    public void requireAdmin(Context ctx) {
        if (!authenticate(ctx).admin()) {
            throw new HttpProblem(403, "forbidden", "only the admin key may manage scopes and keys");
        }
    }
}
