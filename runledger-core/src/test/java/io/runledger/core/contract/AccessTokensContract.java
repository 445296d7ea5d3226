package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.ApiKeys;
import io.runledger.api.ConflictException;
import io.runledger.api.RunAccessToken;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Run access tokens as the caller sees them: issued for a run of the scope only, for a bounded
 * time, stored only as their hash, at most {@link RunAccessToken#MAX_LIVE_PER_RUN} live per
 * run, and purged by retention once expired or with their run.
 */
public abstract class AccessTokensContract extends ContractBase {

    private static long tokens() {
        return count("select count(*) from run_access_tokens");
    }

    @Test
    void aTokenIsRandomValidForItsTtlAndOnlyItsHashIsStored() {
        String runId = trigger().runId();
        Instant before = Instant.now();
        RunAccessToken token = ledger.runs().issueAccessToken(SCOPE, runId, Duration.ofSeconds(90));
        RunAccessToken other = ledger.runs().issueAccessToken(SCOPE, runId, null);

        assertThat(token.token()).startsWith(ApiKeys.RUN_TOKEN_PREFIX).hasSizeGreaterThanOrEqualTo(40)
                .isNotEqualTo(other.token());
        assertThat(token.expiresAt()).isBetween(before.plusSeconds(80), Instant.now().plusSeconds(100));
        assertThat(other.expiresAt()).as("an hour by default")
                .isBetween(before.plus(RunAccessToken.DEFAULT_TTL).minusSeconds(10),
                        Instant.now().plus(RunAccessToken.DEFAULT_TTL).plusSeconds(10));
        assertThat(count("select count(*) from run_access_tokens where token_hash = '"
                + ApiKeys.hash(token.token()) + "' and run_id = '" + runId + "'")).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from run_access_tokens where token_hash like '%"
                + token.token().substring(ApiKeys.RUN_TOKEN_PREFIX.length()) + "%'")).isZero();
    }

    @Test
    void aTtlOutsideOneSecondToADayAndARunOutsideTheScopeAreRefusedWithoutARow() {
        String runId = trigger().runId();
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(900),
                RunAccessToken.MAX_TTL.plusSeconds(1), Duration.ofSeconds(Long.MAX_VALUE)}) {
            refused("invalid_argument", () -> ledger.runs().issueAccessToken(SCOPE, runId, bad));
        }
        refused("run_not_found", () -> ledger.runs().issueAccessToken(SCOPE, "run_does_not_exist", null));
        refused("run_not_found", () -> ledger.runs().issueAccessToken(SCOPE, "not an id!", null));
        admin.admin().scopePut("other");
        admin.admin().servicePut("other", SERVICE, null);
        String elsewhere = admin.runs().trigger("other", SERVICE, io.runledger.api.TriggerRequest.of(json())).runId();
        refused("run_not_found", () -> ledger.runs().issueAccessToken(SCOPE, elsewhere, null));
        assertThat(tokens()).isZero();
        assertThat(ledger.runs().issueAccessToken(SCOPE, runId, RunAccessToken.MAX_TTL).token()).isNotBlank();
        assertThat(ledger.runs().issueAccessToken(SCOPE, runId, Duration.ofSeconds(1)).token()).isNotBlank();
    }

    @Test
    void aRunHasABoundedNumberOfLiveTokensAndExpiredOnesMakeRoom() {
        String runId = trigger().runId();
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < RunAccessToken.MAX_LIVE_PER_RUN; i++) {
            issued.add(ledger.runs().issueAccessToken(SCOPE, runId, Duration.ofSeconds(600)).token());
        }
        assertThat(issued).hasSize(RunAccessToken.MAX_LIVE_PER_RUN);
        assertThatThrownBy(() -> ledger.runs().issueAccessToken(SCOPE, runId, null))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.code()).isEqualTo("too_many_access_tokens");
                    assertThat(((Number) e.details().get("retryAfterSeconds")).longValue()).isBetween(1L, 600L);
                });
        assertThat(tokens()).isEqualTo(RunAccessToken.MAX_LIVE_PER_RUN);
        // another run is not held back by this one's tokens
        assertThat(ledger.runs().issueAccessToken(SCOPE, trigger().runId(), null).token()).isNotBlank();

        // Expired tokens no longer count, and the next issue deletes them: the run's rows stay bounded.
        TestDatabase.sql("update run_access_tokens set expires_at = now() - interval '1 second'"
                + " where run_id = '" + runId + "'");
        assertThat(ledger.runs().issueAccessToken(SCOPE, runId, null).token()).isNotBlank();
        assertThat(count("select count(*) from run_access_tokens where run_id = '" + runId + "'")).isEqualTo(1);
    }

    @Test
    void retentionPurgesExpiredTokensAndKeepsLiveOnes() {
        String runId = trigger().runId();
        String other = trigger().runId();
        RunAccessToken live = ledger.runs().issueAccessToken(SCOPE, runId, null);
        ledger.runs().issueAccessToken(SCOPE, runId, null);
        ledger.runs().issueAccessToken(SCOPE, other, null);
        TestDatabase.sql("update run_access_tokens set expires_at = now() - interval '1 second'"
                + " where token_hash <> '" + ApiKeys.hash(live.token()) + "'");

        maintenance().retention();

        assertThat(count("select count(*) from run_access_tokens where token_hash = '"
                + ApiKeys.hash(live.token()) + "'")).isEqualTo(1);
        assertThat(tokens()).isEqualTo(1);
    }
}
