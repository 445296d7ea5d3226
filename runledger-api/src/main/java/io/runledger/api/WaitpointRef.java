package io.runledger.api;

import java.time.Instant;

/**
 * One waitpoint of a suspend: {@code duration} with {@code seconds} or {@code until};
 * {@code token} with the {@code waitpointId} of a token created before; {@code run} with
 * {@code runId}; {@code batch} with {@code batchId}.
 */
public record WaitpointRef(WaitpointKind kind, Double seconds, Instant until, String waitpointId, String runId,
                           String batchId) {

    public static WaitpointRef duration(double seconds) {
        return new WaitpointRef(WaitpointKind.DURATION, seconds, null, null, null, null);
    }

    public static WaitpointRef until(Instant until) {
        return new WaitpointRef(WaitpointKind.DURATION, null, until, null, null, null);
    }

    public static WaitpointRef token(String waitpointId) {
        return new WaitpointRef(WaitpointKind.TOKEN, null, null, waitpointId, null, null);
    }

    public static WaitpointRef run(String runId) {
        return new WaitpointRef(WaitpointKind.RUN, null, null, null, runId, null);
    }

    public static WaitpointRef batch(String batchId) {
        return new WaitpointRef(WaitpointKind.BATCH, null, null, null, null, batchId);
    }
}
