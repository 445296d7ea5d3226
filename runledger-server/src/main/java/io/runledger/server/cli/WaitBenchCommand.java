package io.runledger.server.cli;

import static io.runledger.server.cli.BenchHttp.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.http.ServerJson;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runledger bench waits}: the cost of waiting, through HTTP. First the round trip of
 * one run at a time: the worker suspends it on a token, the token is completed through its
 * callback URL, and the worker's long-polling lease receives the run again with the result.
 * Then many runs waiting at once, all resumed by completing their tokens (the resume happens
 * in the completing transaction, so a completion's answer means its run is queued again).
 */
@Command(name = "waits", mixinStandardHelpOptions = true,
        description = "Measure suspend -> resume round trips (p50/p99) and resumes/second of many waiting runs.")
public final class WaitBenchCommand implements Callable<Integer> {

    @Option(names = "--samples", defaultValue = "300", description = "Round trips, one at a time (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--waiting", defaultValue = "10000",
            description = "Runs waiting at once, then resumed (default ${DEFAULT-VALUE}).")
    int waiting;

    @Option(names = "--concurrency", defaultValue = "32", description = "Concurrent callers (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Mixin
    BenchTarget target;

    private final HttpClient http = BenchHttp.client();

    @Override
    public Integer call() throws Exception {
        target.measure(this::measure);
        return 0;
    }

    private void measure(String base, String adminKey) throws Exception {
        String scope = "/v1/scopes/bench-waits-" + System.currentTimeMillis();
        send(base, adminKey, "PUT", scope, "{}");
        send(base, adminKey, "PUT", scope + "/services/wait", "{\"leaseTtlSeconds\":300}");
        System.out.printf("machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"));
        roundTrips(base, adminKey, scope, Math.min(50, samples)); // warm-up
        long[][] trips = roundTrips(base, adminKey, scope, samples);
        long[] whole = trips[0];
        long[] resume = trips[1];
        Arrays.sort(whole);
        Arrays.sort(resume);
        System.out.printf("suspend -> resumed lease, %d samples: p50 %.2f ms, p99 %.2f ms%n", whole.length,
                percentile(whole, 50) / 1e6, percentile(whole, 99) / 1e6);
        System.out.printf("  of which token completed -> resumed lease: p50 %.2f ms, p99 %.2f ms%n",
                percentile(resume, 50) / 1e6, percentile(resume, 99) / 1e6);
        manyWaiting(base, adminKey, scope);
    }

    /**
     * Each sample: trigger, lease, create a token, suspend on it (timed from here), complete the
     * token through its callback URL (and from here), and lease again until the run comes back
     * carrying the token's data; then complete the run.
     */
    private long[][] roundTrips(String base, String adminKey, String scope, int count) {
        long[] whole = new long[count];
        long[] resume = new long[count];
        String lease = "{\"workerId\":\"bench\",\"services\":[\"wait\"],\"max\":1,\"waitSeconds\":10}";
        for (int i = 0; i < count; i++) {
            send(base, adminKey, "POST", scope + "/services/wait/runs", "{\"input\":{\"i\":" + i + "}}");
            JsonNode first = send(base, adminKey, "POST", scope + "/workers/lease", lease).get("leases").get(0);
            String runId = first.get("runId").asText();
            JsonNode token = send(base, adminKey, "POST", scope + "/waitpoints", "{}");
            long t0 = System.nanoTime();
            send(base, adminKey, "POST", scope + "/runs/" + runId + "/suspend", suspendBody(first, token));
            long t1 = System.nanoTime();
            sendTo(token.get("callbackUrl").asText(), "{\"approved\":true}");
            JsonNode again = send(base, adminKey, "POST", scope + "/workers/lease", lease).get("leases").get(0);
            long t2 = System.nanoTime();
            if (!again.get("runId").asText().equals(runId) || !again.get("resumed").has("approval")) {
                throw new IllegalStateException("the resumed lease is not the run's: " + again);
            }
            whole[i] = t2 - t0;
            resume[i] = t2 - t1;
            send(base, adminKey, "POST", scope + "/runs/" + runId + "/complete",
                    "{\"leaseToken\":\"" + again.get("leaseToken").asText() + "\",\"output\":null}");
        }
        return new long[][] {whole, resume};
    }

    /** {@code --waiting} runs registered in batches, leased, each suspended on its own token; then all tokens completed. */
    private void manyWaiting(String base, String adminKey, String scope) throws Exception {
        List<String> runIds = new ArrayList<>();
        for (int from = 0; from < waiting; from += 1000) {
            ArrayNode items = ServerJson.MAPPER.createArrayNode();
            for (int i = from; i < Math.min(waiting, from + 1000); i++) {
                items.addObject().putObject("input").put("i", i);
            }
            ObjectNode batch = ServerJson.MAPPER.createObjectNode();
            batch.set("items", items);
            send(base, adminKey, "POST", scope + "/services/wait/batches", batch.toString()).get("runIds")
                    .forEach(id -> runIds.add(id.asText()));
        }
        List<JsonNode> leases = new ArrayList<>();
        while (leases.size() < waiting) {
            send(base, adminKey, "POST", scope + "/workers/lease",
                    "{\"workerId\":\"bench\",\"services\":[\"wait\"],\"max\":1000,\"waitSeconds\":5}")
                    .get("leases").forEach(leases::add);
        }
        String[] tokens = new String[waiting];
        long suspendStart = System.nanoTime();
        parallel(waiting, i -> {
            JsonNode token = send(base, adminKey, "POST", scope + "/waitpoints", "{}");
            tokens[i] = token.get("callbackUrl").asText();
            JsonNode l = leases.get(i);
            send(base, adminKey, "POST", scope + "/runs/" + l.get("runId").asText() + "/suspend", suspendBody(l, token));
        });
        double suspendSeconds = (System.nanoTime() - suspendStart) / 1e9;
        System.out.printf("%d runs suspended on their own tokens in %.2f s = %.0f token+suspend pairs/s%n", waiting,
                suspendSeconds, waiting / suspendSeconds);
        long resumeStart = System.nanoTime();
        parallel(waiting, i -> sendTo(tokens[i], "{\"approved\":true}"));
        double resumeSeconds = (System.nanoTime() - resumeStart) / 1e9;
        JsonNode still = send(base, adminKey, "GET", scope + "/runs?status=waiting&limit=1", null);
        if (!still.get("items").isEmpty()) {
            throw new IllegalStateException("runs still waiting after every token completed");
        }
        System.out.printf("%d waiting runs resumed by completing their tokens (callback URL, %d callers) in %.2f s"
                + " = %.0f resumes/s%n", waiting, concurrency, resumeSeconds, waiting / resumeSeconds);
    }

    private static String suspendBody(JsonNode lease, JsonNode token) {
        return "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\",\"step\":\"approval\","
                + "\"waitpoints\":[{\"kind\":\"token\",\"waitpointId\":\"" + token.get("waitpointId").asText() + "\"}]}";
    }

    private void parallel(int count, BenchHttp.Item item) throws Exception {
        BenchHttp.parallel(count, concurrency, item);
    }

    private JsonNode send(String base, String adminKey, String method, String path, String body) {
        return BenchHttp.send(http, Duration.ofSeconds(30), base, adminKey, method, path, body);
    }

    /** A callback URL is absolute and needs no key. */
    private JsonNode sendTo(String absoluteUrl, String body) {
        return BenchHttp.send(http, Duration.ofSeconds(30), absoluteUrl, null, "POST", "", body);
    }
}
