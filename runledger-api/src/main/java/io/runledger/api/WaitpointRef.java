package io.runledger.api;

import java.time.Instant;

/**
 * One waitpoint of a suspend: {@code duration} with {@code seconds} or {@code until};
 * {@code token} with the {@code waitpointId} of a token created before; {@code run} with
 * {@code runId}; {@code batch} with {@code batchId}.
 *
 * @param kind what to wait for
 * @param seconds for a duration: how long from the suspend, else null
 * @param until for a duration: until when, else null
 * @param waitpointId for a token: the token, else null
 * @param runId for a run: the run, else null
 * @param batchId for a batch: the batch, else null
 */
public record WaitpointRef(WaitpointKind kind, Double seconds, Instant until, String waitpointId, String runId,
                           String batchId) {

    /**
     * A wait of a number of seconds from the suspend.
     *
     * @param seconds how long
     * @return the reference
     */
    public static WaitpointRef duration(double seconds) {
        return new WaitpointRef(WaitpointKind.DURATION, seconds, null, null, null, null);
    }

    /**
     * A wait until a point in time.
     *
     * @param until when it ends
     * @return the reference
     */
    public static WaitpointRef until(Instant until) {
        return new WaitpointRef(WaitpointKind.DURATION, null, until, null, null, null);
    }

    /**
     * A wait for a token created before to be completed.
     *
     * @param waitpointId the token
     * @return the reference
     */
    public static WaitpointRef token(String waitpointId) {
        return new WaitpointRef(WaitpointKind.TOKEN, null, null, waitpointId, null, null);
    }

    /**
     * A wait for another run to settle.
     *
     * @param runId the run
     * @return the reference
     */
    public static WaitpointRef run(String runId) {
        return new WaitpointRef(WaitpointKind.RUN, null, null, null, runId, null);
    }

    /**
     * A wait for every run of a batch to settle.
     *
     * @param batchId the batch
     * @return the reference
     */
    public static WaitpointRef batch(String batchId) {
        return new WaitpointRef(WaitpointKind.BATCH, null, null, null, null, batchId);
    }
}
