package io.runledger.client;

/**
 * A wait of {@link RunContext} ended because its waitpoint timed out (a token's timeout
 * passed before anyone completed it). Retryable like any handler failure unless the handler
 * catches it; a replay of the handler meets the same timeout again, at the same step.
 */
public final class WaitTimeoutException extends RuntimeException {
    private final String step;
    private final String waitpointId;

    public WaitTimeoutException(String step, String waitpointId) {
        super("waitpoint " + waitpointId + " timed out at step '" + step + "'");
        this.step = step;
        this.waitpointId = waitpointId;
    }

    public String step() {
        return step;
    }

    public String waitpointId() {
        return waitpointId;
    }
}
