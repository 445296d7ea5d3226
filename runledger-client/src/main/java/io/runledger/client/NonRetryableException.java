package io.runledger.client;

/** Thrown by a handler to fail the run at once, without further attempts. */
public class NonRetryableException extends RuntimeException {
    /** The code the run fails with. */
    private final String code;

    /**
     * A failure that ends the run.
     *
     * @param code the error code the run fails with, e.g. {@code bad_input}
     * @param message what went wrong, for people
     */
    public NonRetryableException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * A failure that ends the run, caused by another exception.
     *
     * @param code the error code the run fails with
     * @param message what went wrong, for people
     * @param cause the underlying failure
     */
    public NonRetryableException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The error code the run fails with.
     *
     * @return the code
     */
    public String code() {
        return code;
    }
}
