package io.runledger.core.internal.secret;

/**
 * A secret file that must not be used as it is (readable by others, empty, missing); the
 * message is one line that says what to do, fit to print as a command's error.
 */
public final class SecretFileException extends RuntimeException {
    public SecretFileException(String message) {
        super(message);
    }
}
