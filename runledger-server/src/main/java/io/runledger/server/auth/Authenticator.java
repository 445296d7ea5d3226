package io.runledger.server.auth;

import io.javalin.http.Context;
import io.runledger.api.ApiKeys;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunAccessGrant;
import io.runledger.api.ScopeKey;
import io.runledger.server.http.HttpProblem;
import io.runledger.server.http.Params;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Checks {@code Authorization: Bearer <key>}. The admin key is compared by hash in memory;
 * scope keys by the hash stored in {@code scope_keys}. A key of another scope gets the same
 * 404 as a scope that does not exist, so scopes cannot be probed.
 *
 * <p>A run access token ({@code rlt_...}) is accepted the same way and also as
 * {@code ?access_token=}, the one credential a browser's {@code EventSource} can send; no key is
 * ever accepted in a URL, where logs and proxies would keep it. A token may only read its run
 * ({@link #readRun}); anything else with it is 403 {@code forbidden}, and another run is the
 * 404 {@code run_not_found} of a run that does not exist.
 */
public final class Authenticator {
    /** The query parameter that may carry a run access token. */
    public static final String ACCESS_TOKEN_PARAM = "access_token";
    /** The key header of the LangGraph SDK, accepted by {@link #accessByApiKey}. */
    public static final String API_KEY_HEADER = "x-api-key";
    private static final String BEARER = "Bearer ";

    private final String adminKeyHash;
    private final String adminKeyTag;
    private final Function<String, Optional<ScopeKey>> scopeKeys;
    private final Function<String, Optional<RunAccessGrant>> runTokens;

    /**
     * {@code scopeKeys} says which scope key a presented key is, if any (the engine's
     * {@code scopeKeyVerify}: a revoked key is refused on every instance once its revocation
     * answered); {@code runTokens} likewise what a presented run access token grants.
     */
    public Authenticator(String adminKeyHash, Function<String, Optional<ScopeKey>> scopeKeys,
                         Function<String, Optional<RunAccessGrant>> runTokens) {
        this.adminKeyHash = Objects.requireNonNull(adminKeyHash, "adminKeyHash");
        this.adminKeyTag = ApiKeys.adminKeyTag(adminKeyHash);
        this.scopeKeys = Objects.requireNonNull(scopeKeys, "scopeKeys");
        this.runTokens = Objects.requireNonNull(runTokens, "runTokens");
    }

    public Caller authenticate(Context ctx) {
        String fromQuery = ctx.queryParam(ACCESS_TOKEN_PARAM);
        if (fromQuery != null) {
            if (ctx.header("Authorization") != null) {
                throw new InvalidArgumentException("give either an Authorization header or access_token, not both");
            }
            if (!fromQuery.startsWith(ApiKeys.RUN_TOKEN_PREFIX)) {
                throw HttpProblem.unauthorized("only a run access token may be given as access_token; send keys in"
                        + " the Authorization header");
            }
            return runToken(fromQuery);
        }
        return callerForKey(bearer(ctx));
    }

    private Caller callerForKey(String key) {
        if (ApiKeys.sameHash(ApiKeys.hash(key), adminKeyHash)) {
            return Caller.ADMIN;
        }
        if (key.startsWith(ApiKeys.RUN_TOKEN_PREFIX)) {
            return runToken(key);
        }
        ScopeKey found = scopeKeys.apply(key).orElseThrow(() -> HttpProblem.unauthorized("the key is not valid"));
        return Caller.ofScope(found.scope(), found.keyId());
    }

    private Caller runToken(String token) {
        RunAccessGrant grant = runTokens.apply(token)
                .orElseThrow(() -> HttpProblem.unauthorized("the run access token is not valid"));
        if (grant.adminKeyTag() != null && !ApiKeys.sameHash(grant.adminKeyTag(), adminKeyTag)) {
            // issued with an admin key this server no longer has
            throw HttpProblem.unauthorized("the run access token is not valid");
        }
        if (grant.expired()) {
            throw HttpProblem.unauthorized("the run access token has expired; ask for a new one");
        }
        return Caller.ofRunToken(grant);
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

    /**
     * Authenticates and returns the path's scope and the caller, if the caller may act in it.
     * A run access token may not: it only reads its run ({@link #readRun}).
     */
    public Access access(Context ctx) {
        Access access = scoped(ctx);
        if (access.caller().token() != null) {
            throw forbiddenToToken();
        }
        return access;
    }

    /**
     * Authenticates a read of the path's run (get it, its events, its stream, wait on it): a
     * key of the scope, or a run access token of this very run.
     */
    public Access readRun(Context ctx) {
        Access access = scoped(ctx);
        RunAccessGrant token = access.caller().token();
        if (token != null) {
            String runId = Params.runId(ctx);
            if (!token.runId().equals(runId)) {
                throw NotFoundException.run(runId); // as if it did not exist: nothing is told about it
            }
        }
        return access;
    }

    private Access scoped(Context ctx) {
        Caller caller = authenticate(ctx);
        String scope = InvalidNameException.requireValid("scope", ctx.pathParam("scope"));
        if (!caller.mayActIn(scope)) {
            throw NotFoundException.scope(scope);
        }
        MDC.put("scope", scope);
        return new Access(scope, caller);
    }

    /**
     * As {@link #access}, also taking the key from an {@code x-api-key} header, the one the
     * LangGraph SDK sends (the Agent Protocol layer accepts it); given with an
     * {@code Authorization} header as well, both must name the same key.
     */
    public Access accessByApiKey(Context ctx) {
        String apiKey = ctx.header(API_KEY_HEADER);
        if (apiKey == null) {
            return access(ctx);
        }
        String key = apiKey.strip();
        if (key.isEmpty()) {
            throw HttpProblem.unauthorized("the x-api-key header is empty");
        }
        if (ctx.header("Authorization") != null && !bearer(ctx).equals(key)) {
            throw new InvalidArgumentException("the x-api-key and Authorization headers name different keys");
        }
        if (ctx.queryParam(ACCESS_TOKEN_PARAM) != null) {
            throw new InvalidArgumentException("give either an x-api-key header or access_token, not both");
        }
        Caller caller = callerForKey(key);
        if (caller.token() != null) {
            throw forbiddenToToken();
        }
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
        Caller caller = authenticate(ctx);
        if (caller.token() != null) {
            throw forbiddenToToken();
        }
        if (!caller.admin()) {
            throw new HttpProblem(403, "forbidden", "only the admin key may manage scopes and keys");
        }
    }

    /** The fingerprint that ties the tokens the admin key issues to that key. */
    public String adminKeyTag() {
        return adminKeyTag;
    }

    private static HttpProblem forbiddenToToken() {
        return new HttpProblem(403, "forbidden",
                "a run access token may only read its run: get it, its events, its stream, or wait on it");
    }
}
