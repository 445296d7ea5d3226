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
    /** {@return the run's scope} */
    String scope();

    /** {@return the run's id} */
    String runId();

    /** {@return the run's service} */
    String service();

    /**
     * 1 for the first attempt, 2 for the first retry, ...
     *
     * @return the attempt number
     */
    int attempt();

    /**
     * Appends a worker event ({@code progress}, {@code output.delta}, {@code log}, {@code step.*}, {@code
     * custom.*}).
     *
     * @param type the event type
     * @param data its data
     * @return the event's seq
     */
    long emit(String type, JsonNode data);

    /**
     * Appends an {@code output.delta} event {@code {"text": text}}.
     *
     * @param text the text
     * @return the event's seq
     */
    long outputDelta(String text);

    /**
     * Appends a {@code log} event {@code {"message": message}}.
     *
     * @param message the message
     * @return the event's seq
     */
    long log(String message);

    /**
     * True once a stop of this run was requested (seen on a heartbeat).
     *
     * @return true once a stop was requested
     */
    boolean stopRequested();

    /**
     * Messages delivered on heartbeats so far (signals sent to the run).
     *
     * @return the messages, oldest first
     */
    List<RunMessage> messages();

    /**
     * Calls {@code listener} with each signal sent to the run (its {@code messageId}, {@code type},
     * {@code data}, {@code severity}, ...): first those already delivered, then each new one as a heartbeat
     * brings it, on the heartbeat's thread. When the listener returns normally the message
     * is acknowledged ({@code acked}); if it throws, the message stays {@code delivered}.
     *
     * @param listener called once per message
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
     *
     * @param name the step's name
     * @param action what the step does; called at most once per run unless it throws
     * @return the step's output, as recorded
     * @throws Exception what {@code action} threw
     */
    JsonNode step(String name, Callable<JsonNode> action) throws Exception;

    /**
     * Suspends the run for {@code duration} (the worker's slot is free meanwhile); a replay past it returns
     * at once.
     *
     * @param name the step's name
     * @param duration how long
     */
    void sleep(String name, Duration duration);

    /**
     * Creates a token waitpoint, as a step: a replay returns the same token (without its
     * callback URL, which is shown once). {@code timeout} null: the token never times out.
     *
     * @param name the step's name
     * @param timeout how long until the token times out, or null
     * @return the token
     */
    WaitToken createToken(String name, Duration timeout);

    /**
     * Waits until the token is completed and returns its data, suspending the run meanwhile.
     * Throws {@link WaitTimeoutException} if the token timed out.
     *
     * @param name the step's name
     * @param waitpointId the token
     * @return the data it was completed with
     */
    JsonNode waitForToken(String name, String waitpointId);

    /**
     * {@link #waitForToken(String, String)} on a token from {@link #createToken}.
     *
     * @param name the step's name
     * @param token the token
     * @return the data it was completed with
     */
    default JsonNode waitForToken(String name, WaitToken token) {
        return waitForToken(name, token.waitpointId());
    }

    /**
     * Triggers a child run (its {@code parentRunId} is this run) once per run and step name;
     * a replay returns the same child's receipt.
     *
     * @param name the step's name
     * @param service the child's service
     * @param request the child's trigger
     * @return the child's receipt
     */
    Receipt triggerChild(String name, String service, TriggerRequest request);

    /**
     * {@link #triggerChild(String, String, TriggerRequest)} with only an input.
     *
     * @param name the step's name
     * @param service the child's service
     * @param input the child's input
     * @return the child's receipt
     */
    default Receipt triggerChild(String name, String service, JsonNode input) {
        return triggerChild(name, service, TriggerRequest.of(input));
    }

    /**
     * Triggers one child per input (steps {@code name/0}, {@code name/1}, ...) and waits until
     * every one of them is terminal, suspending the run meanwhile; returns their outcomes in
     * input order. A failed child is an outcome like any other, not an exception.
     *
     * @param name the step's name
     * @param service the children's service
     * @param inputs one input per child
     * @return one outcome per child, in input order
     */
    List<ChildOutcome> triggerAndWait(String name, String service, List<JsonNode> inputs);

    /**
     * {@link #triggerAndWait(String, String, List)} with one child.
     *
     * @param name the step's name
     * @param service the child's service
     * @param input the child's input
     * @return its outcome
     */
    default ChildOutcome triggerAndWait(String name, String service, JsonNode input) {
        return triggerAndWait(name, service, List.of(input)).get(0);
    }
}
