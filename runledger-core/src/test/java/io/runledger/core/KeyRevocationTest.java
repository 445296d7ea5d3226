package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.api.NewScopeKey;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Instances use a scope key the database confirmed for a moment without reading it again;
 * a revocation must still be complete, on every instance, by the time it returns.
 */
class KeyRevocationTest extends LedgerTestBase {

    @Test
    void aKeyRevokedThroughOneInstanceIsRefusedByAnotherThatJustUsedItOnceTheRevocationReturned() {
        try (RunLedger other = TestDatabase.ledgerBuilder().backgroundLoops(false).build()) {
            for (int round = 0; round < 3; round++) {
                NewScopeKey key = ledger.admin().keyCreate(SCOPE, "revoked-" + round);
                // both instances confirm the key and remember it
                assertThat(other.scopeKeyVerify(key.key())).isPresent();
                assertThat(ledger.scopeKeyVerify(key.key())).isPresent();

                ledger.admin().keyDelete(SCOPE, key.info().keyId());

                assertThat(ledger.scopeKeyVerify(key.key())).as("on the instance that revoked it").isEmpty();
                assertThat(other.scopeKeyVerify(key.key())).as("on the other instance").isEmpty();
            }
        }
    }

    @Test
    void aKeyDeletedBehindTheServersBackIsRefusedWithinASecondOrSo() {
        NewScopeKey key = ledger.admin().keyCreate(SCOPE, "deleted-in-sql");
        assertThat(ledger.scopeKeyVerify(key.key())).isPresent();

        TestDatabase.sql("delete from scope_keys where key_id = '" + key.info().keyId() + "'");

        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.scopeKeyVerify(key.key()).isEmpty());
    }

    @Test
    void aNewKeyIsAcceptedAtOnceAndAMadeUpOneNever() {
        assertThat(ledger.scopeKeyVerify("rl_sk_made-up")).isEmpty();
        NewScopeKey key = ledger.admin().keyCreate(SCOPE, "new");
        assertThat(ledger.scopeKeyVerify(key.key())).get()
                .satisfies(k -> assertThat(k.keyId()).isEqualTo(key.info().keyId()))
                .satisfies(k -> assertThat(k.scope()).isEqualTo(SCOPE));
        assertThat(ledger.scopeKeyVerify(key.key() + "x")).isEmpty();
    }
}
