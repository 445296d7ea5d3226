package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Receipt;
import io.runledger.api.RunMessage;
import io.runledger.api.TriggerRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** What a handler knows about, and can do for, the attempt it executes. */
public interface RunContext {
    String scope();

    String runId();

    String service();

    /** 1 for the first attempt, 2 for the first retry, ... */
    int attempt();

    /** Appends a worker event ({@code progress}, {@code output.delta}, {@code log}, {@code step.*}, {@code custom.*}). */
    long emit(String type, JsonNode data);

    /** Appends an {@code output.delta} event {@code {"text": text}}. */
    long outputDelta(String text);

    /** Appends a {@code log} event {@code {"message": message}}. */
    long log(String message);

    /** True once a stop of this run was requested (seen on a heartbeat). */
    boolean stopRequested();

    /** Messages delivered on heartbeats so far (signals sent to the run). */
    List<RunMessage> messages();

    /**
     * Calls {@code listener} with each signal sent to the run (its {@code messageId}, {@code type},
     * {@code data}, {@code severity}, ...): first those already delivered, then each new one as a heartbeat
     * brings it, on the heartbeat's thread. When the listener returns normally the message
     * is acknowledged ({@code acked}); if it throws, the message stays {@code delivered}.
     */
    void onMessage(java.util.function.Consumer<RunMessage> listener);

    // Durable execution. A handler may be executed several times (a retry, a recovery, a
    // resume after a wait); each operation below is named by a step name (letters, digits and
    // ._:/-, 1 to 200 characters), unique within the run, and returns what the run recorded
    // under that name instead of doing it again. A wait that has to wait suspends the run:
    // the handler is unwound (by an Error, so that a catch (Exception e) does not stop it),
    // the worker's slot is freed, and the handler is executed again on a later lease, where
    // everything before the wait replays from the ledger and the wait returns its result.
    // So the code between steps must be deterministic, and side effects belong in steps.

    /**
     * Runs {@code action} once per run: if step {@code name} was recorded (on an earlier
     * attempt or before a resume) its output is returned and {@code action} is not called;
     * else {@code action} is called and its output recorded, then returned as recorded. An
     * action that throws records nothing. A null output is recorded as JSON null.
     */
    JsonNode step(String name, Callable<JsonNode> action) throws Exception;

    /** Suspends the run for {@code duration} (the worker's slot is free meanwhile); a replay past it returns at once. */
    void sleep(String name, Duration duration);

    /**
     * Creates a token waitpoint, as a step: a replay returns the same token (without its
     * callback URL, which is shown once). {@code timeout} null: the token never times out.
     */
    WaitToken createToken(String name, Duration timeout);

    /**
     * Waits until the token is completed and returns its data, suspending the run meanwhile.
     * Throws {@link WaitTimeoutException} if the token timed out.
     */
    JsonNode waitForToken(String name, String waitpointId);

    /** {@link #waitForToken(String, String)} on a token from {@link #createToken}. */
    default JsonNode waitForToken(String name, WaitToken token) {
        return waitForToken(name, token.waitpointId());
    }

    /**
     * Triggers a child run (its {@code parentRunId} is this run) once per run and step name;
     * a replay returns the same child's receipt.
     */
    Receipt triggerChild(String name, String service, TriggerRequest request);

    /** {@link #triggerChild(String, String, TriggerRequest)} with only an input. */
    default Receipt triggerChild(String name, String service, JsonNode input) {
        return triggerChild(name, service, TriggerRequest.of(input));
    }

    /**
     * Triggers one child per input (steps {@code name/0}, {@code name/1}, ...) and waits until
     * every one of them is terminal, suspending the run meanwhile; returns their outcomes in
     * input order. A failed child is an outcome like any other, not an exception.
     */
    List<ChildOutcome> triggerAndWait(String name, String service, List<JsonNode> inputs);

    /** {@link #triggerAndWait(String, String, List)} with one child. */
    default ChildOutcome triggerAndWait(String name, String service, JsonNode input) {
        return triggerAndWait(name, service, List.of(input)).get(0);
    }
}
