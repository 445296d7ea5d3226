package io.runledger.core.internal.runs;

import io.runledger.api.ApiKeys;
import io.runledger.api.ConflictException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunAccessGrant;
import io.runledger.api.RunAccessToken;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.RunAccessTokenStore;
import io.runledger.core.internal.store.RunAccessTokenStore.Refusal;
import io.runledger.core.internal.store.RunAccessTokenStore.TokenInsert;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and verifies run access tokens: 256 random bits with the {@code rlt_} prefix, stored
 * only as their hash, each reading one run until it expires.
 */
public final class RunAccessOps {
    private static final Logger log = LoggerFactory.getLogger(RunAccessOps.class);

    private final Tx tx;
    private final RunAccessTokenStore store;

    public RunAccessOps(Tx tx, RunAccessTokenStore store) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * A new token for the run, issued by the scope key {@code keyId}, by the admin key whose
     * tag is {@code adminKeyTag}, or (both null) by the application itself.
     */
    public RunAccessToken issue(String scope, String runId, Duration ttl, String keyId, String adminKeyTag) {
        InvalidNameException.requireValid("scope", scope);
        if (runId == null) {
            throw NotFoundException.run(null);
        }
        long seconds = Limits.range("ttlSeconds", ttl == null ? RunAccessToken.DEFAULT_TTL.toSeconds()
                : ttl.toSeconds(), 1, RunAccessToken.MAX_TTL.toSeconds());
        String token = ApiKeys.generate(ApiKeys.RUN_TOKEN_PREFIX);
        TokenInsert insert = new TokenInsert(ApiKeys.hash(token), scope, runId, keyId, adminKeyTag, seconds,
                RunAccessToken.MAX_LIVE_PER_RUN);
        Instant expiresAt = tx.run((h, changes) -> store.tokenInsert(h, insert)
                .orElseThrow(() -> refused(store.tokenRefusal(h, scope, runId, keyId), scope, runId, keyId)));
        log.debug("access token issued for run {} until {}", runId, expiresAt);
        return new RunAccessToken(token, expiresAt);
    }

    private static RuntimeException refused(Refusal r, String scope, String runId, String keyId) {
        if (!r.runExists()) {
            return NotFoundException.run(runId);
        }
        if (!r.keyExists()) {
            return NotFoundException.of("key_not_found", "scope '" + scope + "' has no key '" + keyId + "'");
        }
        return new ConflictException("too_many_access_tokens", "run '" + runId + "' has " + r.live()
                + " unexpired access tokens, the most it may have; one expires in " + r.retryAfterSeconds() + " s",
                Map.of("live", r.live(), "retryAfterSeconds", r.retryAfterSeconds()));
    }

    /** What a presented token grants, expired or not; empty when it is no token of this database. */
    public Optional<RunAccessGrant> verify(String presented) {
        if (presented == null || !presented.startsWith(ApiKeys.RUN_TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(presented);
        return tx.read(h -> store.tokenLookup(h, hash));
    }
}
