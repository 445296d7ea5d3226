package io.runledger.server.scaleout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the driver triggers, decided up front from one seed: every run of the load by index,
 * in units that are single triggers or batches. Every run carries an idempotency key
 * ({@code run-<index>}), so a trigger whose answer was lost with a killed instance is sent
 * again safely; some singles are repeated on purpose on another instance, some wait for a
 * concurrency key, some are "doomed" (tagged for the bulk cancel, most of them delayed so only
 * the bulk cancel can end them), and every {@code streamEvery}-th is followed over SSE.
 */
final class LoadPlan {
    static final String DOOMED = "doomed";

    /** One run of the plan. */
    record RunSpec(int index, boolean streamed, boolean doomed, boolean delayed, String concurrencyKey,
            boolean repeat) {
        String idempotencyKey() {
            return "run-" + index;
        }

        ObjectNode body() {
            ObjectNode body = Http.JSON.createObjectNode();
            ObjectNode input = body.putObject("input");
            input.put("i", index);
            if (streamed) {
                input.put("stream", true);
            }
            body.put("idempotencyKey", idempotencyKey());
            ArrayNode tags = body.putArray("tags").add("load");
            if (doomed) {
                tags.add(DOOMED);
            }
            if (delayed) {
                // Far beyond the test's end: only the bulk cancel can settle it.
                body.put("delaySeconds", 600);
            }
            if (concurrencyKey != null) {
                body.put("concurrencyKey", concurrencyKey).put("onConflict", "enqueue");
            }
            return body;
        }
    }

    /** A single trigger or a batch. */
    record Unit(List<RunSpec> runs, boolean batch) {
        String body() {
            if (!batch) {
                return runs.getFirst().body().toString();
            }
            ObjectNode body = Http.JSON.createObjectNode();
            ArrayNode items = body.putArray("items");
            runs.forEach(r -> items.add(r.body()));
            return body.toString();
        }
    }

    final List<Unit> units = new ArrayList<>();
    final int runs;

    private LoadPlan(int runs) {
        this.runs = runs;
    }

    static LoadPlan make(long seed, int runs, int streamEvery, int concurrencyKeys) {
        Random random = new Random(seed);
        LoadPlan plan = new LoadPlan(runs);
        int i = 0;
        while (i < runs) {
            if (i % streamEvery == 0) {
                plan.units.add(new Unit(List.of(new RunSpec(i, true, false, false, null, false)), false));
                i++;
            } else if (random.nextInt(100) < 6) {
                int size = 5 + random.nextInt(16);
                List<RunSpec> items = new ArrayList<>();
                while (i < runs && i % streamEvery != 0 && items.size() < size) {
                    items.add(new RunSpec(i++, false, false, false, null, false));
                }
                plan.units.add(new Unit(List.copyOf(items), true));
            } else {
                // Doomed runs come in the first half, so all are registered before the bulk cancel.
                boolean doomed = i < runs / 2 && random.nextInt(100) < 10;
                boolean delayed = doomed && random.nextInt(100) < 70;
                String key = !doomed && random.nextInt(100) < 10 ? "ck-" + random.nextInt(concurrencyKeys) : null;
                boolean repeat = !doomed && random.nextInt(100) < 10;
                plan.units.add(new Unit(List.of(new RunSpec(i, false, doomed, delayed, key, repeat)), false));
                i++;
            }
        }
        return plan;
    }

    List<RunSpec> all() {
        return units.stream().flatMap(u -> u.runs().stream()).toList();
    }

    long count(java.util.function.Predicate<RunSpec> p) {
        return all().stream().filter(p).count();
    }

    long batches() {
        return units.stream().filter(Unit::batch).count();
    }
}
