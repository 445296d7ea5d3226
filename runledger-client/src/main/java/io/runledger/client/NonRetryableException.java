package io.runledger.client;

/** Thrown by a handler to fail the run at once, without further attempts. */
public class NonRetryableException extends RuntimeException {
    private final String code;

    public NonRetryableException(String code, String message) {
        super(message);
        this.code = code;
    }

    public NonRetryableException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The error code the run fails with. */
    public String code() {
        return code;
    }
}
