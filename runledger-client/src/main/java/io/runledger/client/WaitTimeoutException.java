package io.runledger.client;

/**
 * A wait of {@link RunContext} ended because its waitpoint timed out (a token's timeout
 * passed before anyone completed it). Retryable like any handler failure unless the handler
 * catches it; a replay of the handler meets the same timeout again, at the same step.
 */
public final class WaitTimeoutException extends RuntimeException {
    /** The step that waited. */
    private final String step;
    /** The token that timed out. */
    private final String waitpointId;

    /**
     * A wait that ended because its token timed out.
     *
     * @param step the step that waited
     * @param waitpointId the token
     */
    public WaitTimeoutException(String step, String waitpointId) {
        super("waitpoint " + waitpointId + " timed out at step '" + step + "'");
        this.step = step;
        this.waitpointId = waitpointId;
    }

    /** {@return the step that waited} */
    public String step() {
        return step;
    }

    /** {@return the token that timed out} */
    public String waitpointId() {
        return waitpointId;
    }
}
