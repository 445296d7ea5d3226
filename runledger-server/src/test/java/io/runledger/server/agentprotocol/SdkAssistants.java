package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.client.RunContext;
import io.runledger.client.WaitToken;
import io.runledger.client.Worker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The assistants the SDK suite talks to, as handlers of an ordinary RunLedger Java worker: their
 * input is the protocol request ({@code input}, {@code config}, {@code context}, {@code thread_id},
 * {@code command}), and what the SDK streams is what they emit.
 */
final class SdkAssistants {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** How long a tick of {@code slow} works. */
    private static final Duration TICK = Duration.ofMillis(100);

    /** Opened once the server was restarted: {@code restart} emits its second half then. */
    final CountDownLatch restarted = new CountDownLatch(1);

    Worker.Builder register(Worker.Builder worker) {
        return worker
                .handle("echo", (ctx, input) -> echo(ctx, input))
                .handle("chat", (ctx, input) -> chat(ctx, input))
                .handle("slow", (ctx, input) -> slow(ctx, input))
                .handle("asker", (ctx, input) -> asker(ctx, input))
                .handle("restart", (ctx, input) -> restart(ctx, input));
    }

    /** Streams its text back as message chunks, with a state, an update and a custom event on the way. */
    private static JsonNode echo(RunContext ctx, JsonNode input) {
        String text = input.path("input").path("text").asText();
        ctx.emit("custom.values", JSON.objectNode().put("echo", ""));
        for (String word : text.split("(?<= )")) {
            ctx.outputDelta(word);
        }
        ctx.emit("custom.updates", JSON.objectNode().set("echo", JSON.objectNode().put("chars", text.length())));
        ctx.emit("custom.progress", JSON.objectNode().put("progress", "half way"));
        return JSON.objectNode().put("echo", text);
    }

    /** The assistant of the README's example: answers the last user message, word by word. */
    private static JsonNode chat(RunContext ctx, JsonNode input) {
        JsonNode messages = input.path("input").path("messages");
        String question = messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").asText();
        String answer = "RunLedger keeps every run of \"" + question + "\" in its ledger.";
        for (String word : answer.split("(?<= )")) {
            ctx.outputDelta(word);
        }
        ObjectNode values = JSON.objectNode();
        ArrayNode history = values.putArray("messages");
        if (messages.isArray()) {
            history.addAll((ArrayNode) messages.deepCopy());
        }
        history.addObject().put("role", "assistant").put("content", answer);
        return values;
    }

    /** Works {@code ticks} ticks of 100 ms; a cancel interrupts it. */
    private static JsonNode slow(RunContext ctx, JsonNode input) throws InterruptedException {
        long startedAt = System.currentTimeMillis();
        int ticks = input.path("input").path("ticks").asInt(1);
        for (int i = 1; i <= ticks; i++) {
            ctx.emit("custom.tick", JSON.objectNode().put("tick", i));
            Thread.sleep(TICK); // the work of one tick; the worker interrupts it on a cancel
        }
        return JSON.objectNode().put("ticks", ticks).put("startedAt", startedAt)
                .put("finishedAt", System.currentTimeMillis());
    }

    /**
     * Asks for approval: an interrupt is a token the run waits on, and its value what the
     * {@code custom.interrupt} event (emitted once, as a step) says it asks.
     */
    private static JsonNode asker(RunContext ctx, JsonNode input) throws Exception {
        String doc = input.path("input").path("doc").asText();
        WaitToken token = ctx.createToken("approval", null);
        ctx.step("approval/ask", () -> {
            ObjectNode interrupt = JSON.objectNode().put("waitpointId", token.waitpointId());
            interrupt.putObject("value").put("question", "Approve " + doc + "?");
            ctx.emit("custom.interrupt", interrupt);
            return NullNode.getInstance();
        });
        JsonNode decision = ctx.waitForToken("approval", token);
        ObjectNode values = JSON.objectNode().put("doc", doc);
        values.set("decision", decision);
        return values;
    }

    /** Emits {@code before} ticks, waits until the server was restarted, then {@code after} more. */
    private JsonNode restart(RunContext ctx, JsonNode input) throws InterruptedException {
        int before = input.path("input").path("before").asInt();
        int after = input.path("input").path("after").asInt();
        for (int i = 1; i <= before; i++) {
            ctx.emit("custom.tick", JSON.objectNode().put("tick", i));
        }
        if (!restarted.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the server was not restarted");
        }
        for (int i = before + 1; i <= before + after; i++) {
            ctx.emit("custom.tick", JSON.objectNode().put("tick", i));
        }
        return JSON.objectNode().put("ticks", before + after);
    }
}
