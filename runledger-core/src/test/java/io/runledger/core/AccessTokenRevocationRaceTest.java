package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runledger.api.NewScopeKey;
import io.runledger.api.NotFoundException;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Tokens issued while their scope key is revoked: every issue either succeeds (and the token
 * dies with the key) or is refused as a missing key; none fails on the foreign key that ties
 * a token to its key, which a server would answer with a 500.
 */
class AccessTokenRevocationRaceTest extends LedgerTestBase {
    private static final int ROUNDS = 20;
    private static final int ISSUERS = 4;
    private static final int PER_ISSUER = 20;

    @Test
    void anIssueRacingTheRevocationOfItsKeyIsIssuedOrRefusedNeverBroken() throws Exception {
        String runId = trigger().runId();
        ExecutorService pool = Executors.newFixedThreadPool(ISSUERS);
        try {
            int issued = 0;
            int refused = 0;
            for (int round = 0; round < ROUNDS; round++) {
                NewScopeKey key = ledger.admin().keyCreate(SCOPE, "race-" + round);
                String keyId = key.info().keyId();
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Boolean>> issues = new ArrayList<>();
                for (int i = 0; i < ISSUERS; i++) {
                    issues.add(CompletableFuture.supplyAsync(() -> {
                        await(go);
                        // until the revocation is met; 4 x 20 stays under the run's bound of live tokens
                        for (int n = 0; n < PER_ISSUER; n++) {
                            try {
                                ledger.runAccessTokenIssue(SCOPE, runId, Duration.ofMinutes(5), keyId, null);
                            } catch (NotFoundException e) {
                                assertThat(e.code()).isEqualTo("key_not_found");
                                return false;
                            }
                        }
                        return true;
                    }, pool));
                }
                go.countDown();
                ledger.admin().keyDelete(SCOPE, keyId);
                for (CompletableFuture<Boolean> f : issues) {
                    if (f.get()) {
                        issued++;
                    } else {
                        refused++;
                    }
                }
                assertThat(catchThrowableOfType(NotFoundException.class, () -> ledger.runAccessTokenIssue(SCOPE,
                        runId, Duration.ofMinutes(5), keyId, null)).code()).isEqualTo("key_not_found");
                assertThat(TestDatabase.count("select count(*) from run_access_tokens where key_id = '" + keyId + "'"))
                        .as("the revoked key's tokens are gone").isZero();
            }
            System.out.printf("issuers racing revocations: %d met the revocation, %d issued all theirs before it%n",
                    refused, issued);
            assertThat(refused).as("issues that met the revocation").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
