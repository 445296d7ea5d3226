package io.runledger.server.runs;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.RunAccessToken;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.auth.Caller;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.RunAccessTokenView;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code POST .../runs/{runId}/access-tokens {ttlSeconds?}} -> 201 {@code {token, expiresAt}}:
 * a token that may only read this run, for a browser's {@code EventSource} (which cannot send
 * a key) to carry as {@code ?access_token=}. Issued with a scope key, it dies with that key;
 * with the admin key, with that key. A token cannot issue tokens.
 */
public final class AccessTokenRoutes {
    /** The engine's issue of a token by a key: a scope key's id, or the admin key's tag. */
    @FunctionalInterface
    public interface Issuer {
        RunAccessToken issue(String scope, String runId, Duration ttl, String keyId, String adminKeyTag);
    }

    private final Issuer issuer;
    private final Authenticator auth;

    public AccessTokenRoutes(Issuer issuer, Authenticator auth) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** The body of the issue: optional, as is its ttlSeconds. */
    public record Body(@Range(min = 1, max = RunAccessToken.MAX_TTL_SECONDS)
                       @JsonPropertyDescription("how long the token is valid, in seconds (default 3600)")
                       Long ttlSeconds) {
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.RUN_ACCESS_TOKENS, this::issue);
    }

    private void issue(Context ctx) {
        Authenticator.Access access = auth.access(ctx);
        String runId = Params.runId(ctx);
        Body body = JsonBodies.optionalObject(ctx, Body.class);
        Duration ttl = body.ttlSeconds() == null ? null : Duration.ofSeconds(body.ttlSeconds());
        Caller caller = access.caller();
        RunAccessToken token = caller.admin()
                ? issuer.issue(access.scope(), runId, ttl, null, auth.adminKeyTag())
                : issuer.issue(access.scope(), runId, ttl, caller.keyId(), null);
        ctx.header("Cache-Control", "no-store"); // a credential: no cache keeps it
        Responses.json(ctx, 201, new RunAccessTokenView(token.token(), token.expiresAt()));
    }
}
