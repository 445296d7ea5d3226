package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Readiness probes arriving together on a server that has not yet checked its schema: each
 * costs at most one pooled connection, so a burst of probes larger than the pool (8) never
 * takes the pool from itself or from the API.
 */
class ReadinessProbesTest {
    private static final int PROBES = 40;

    @Test
    void aBurstOfProbesOnAFreshServerIsAnsweredReadyAndLeavesThePoolToTheApi() throws Exception {
        try (TestServer server = TestServer.start(); ExecutorService pool = Executors.newFixedThreadPool(PROBES)) {
            Http api = server.admin();
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Http.Reply>> probes = new ArrayList<>();
            for (int i = 0; i < PROBES; i++) {
                probes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return api.get("/health/ready");
                }, pool));
            }
            start.countDown();
            for (CompletableFuture<Http.Reply> probe : probes) {
                Http.Reply r = probe.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.json().get("status").asText()).isEqualTo("ready");
                assertThat(r.json().get("schemaVersion").asText()).isNotBlank();
            }
            assertThat(api.put("/v1/scopes/acme", null).status()).isIn(200, 201);
            assertThat(api.get("/health/ready").status()).isEqualTo(200);
        }
    }
}
