package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.RunMessage;
import java.util.List;

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
}
