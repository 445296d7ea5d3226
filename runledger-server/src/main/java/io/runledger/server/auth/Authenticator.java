package io.runledger.server.auth;

import io.javalin.http.Context;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.server.http.HttpProblem;
import java.util.Objects;
import org.slf4j.MDC;

/**
 * Checks {@code Authorization: Bearer <key>}. The admin key is compared by hash in memory;
 * scope keys by the hash stored in {@code scope_keys}. A key of another scope gets the same
 * 404 as a scope that does not exist, so scopes cannot be probed.
 */
public final class Authenticator {
    private static final String BEARER = "Bearer ";

    private final String adminKeyHash;
    private final ScopeKeyStore keys;

    public Authenticator(String adminKeyHash, ScopeKeyStore keys) {
        this.adminKeyHash = Objects.requireNonNull(adminKeyHash, "adminKeyHash");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    public Caller authenticate(Context ctx) {
        String hash = ApiKeys.hash(bearer(ctx));
        if (ApiKeys.sameHash(hash, adminKeyHash)) {
            return Caller.ADMIN;
        }
        // Looked up on every request, never cached: a revoked key is refused at once everywhere.
        ScopeKeyStore.Found found = keys.keyLookup(hash)
                .orElseThrow(() -> HttpProblem.unauthorized("the key is not valid"));
        if (found.touchDue()) {
            keys.keyTouch(found.scope(), found.keyId());
        }
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
