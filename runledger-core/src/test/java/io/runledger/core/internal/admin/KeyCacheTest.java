package io.runledger.core.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.core.internal.store.ScopeKeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the key cache remembers, and for how long. */
class KeyCacheTest {
    private static final ScopeKeyStore.Found KEY = new ScopeKeyStore.Found("acme", "key_1", false);

    private final KeyCache cache = new KeyCache();
    private final AtomicInteger reads = new AtomicInteger();

    private Optional<ScopeKeyStore.Found> verify(String hash, Optional<ScopeKeyStore.Found> inDatabase) {
        return cache.remembered(hash).or(() -> cache.read(hash, h -> {
            reads.incrementAndGet();
            return inDatabase;
        }));
    }

    @Test
    void aConfirmedKeyIsReadOncePerHold() {
        for (int i = 0; i < 100; i++) {
            assertThat(verify("h", Optional.of(KEY))).contains(KEY);
        }
        assertThat(reads).hasValue(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.remembered("h").isEmpty());
        assertThat(verify("h", Optional.of(KEY))).contains(KEY);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aKeyThatDoesNotExistIsReadEachTime() {
        for (int i = 0; i < 10; i++) {
            assertThat(verify("nope", Optional.empty())).isEmpty();
        }
        assertThat(reads).hasValue(10);
    }

    @Test
    void aRevocationHereIsForgottenAtOnceAndDropsAReadThatRacedIt() {
        verify("h", Optional.of(KEY));
        cache.revoked("acme", "key_1");
        assertThat(cache.remembered("h")).isEmpty();

        // a read that began before the revocation and ends after it is not kept
        Optional<ScopeKeyStore.Found> read = cache.read("h", h -> {
            cache.revoked("acme", "key_1");
            return Optional.of(KEY);
        });
        assertThat(read).contains(KEY);
        assertThat(cache.remembered("h")).isEmpty();
    }

    @Test
    void theHoldIsCountedFromBeforeTheRead() {
        long before = System.nanoTime();
        cache.read("slow", h -> {
            sleep(600); // a slow read
            return Optional.of(KEY);
        });
        long pastHold = KeyCache.HOLD.plusMillis(100).toNanos();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> System.nanoTime() - before > pastHold);
        // counted from the read's end it would last until 600 ms past the hold
        assertThat(cache.remembered("slow")).isEmpty();
    }

    @Test
    void awaitForgottenWaitsTheHoldFromTheCommitEvenWhenInterrupted() {
        long committed = System.nanoTime();
        Thread.currentThread().interrupt();
        KeyCache.awaitForgotten(committed);
        assertThat(System.nanoTime() - committed).isGreaterThanOrEqualTo(KeyCache.HOLD.toNanos());
        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
    }

    @Test
    void noMoreThanMaxEntriesAreRemembered() {
        for (int i = 0; i < KeyCache.MAX_ENTRIES + 10; i++) {
            cache.read("h" + i, h -> Optional.of(KEY));
        }
        assertThat(cache.remembered("h0")).contains(KEY);
        assertThat(cache.remembered("h" + (KeyCache.MAX_ENTRIES + 5))).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
