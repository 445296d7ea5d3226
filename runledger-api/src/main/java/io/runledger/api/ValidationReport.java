package io.runledger.api;

import java.util.List;

/**
 * A preflight check of a trigger: would it be accepted, and if not, why. Nothing is written.
 *
 * @param valid true if the trigger would be accepted now
 * @param problems every reason it would be refused; empty when valid
 */
public record ValidationReport(boolean valid, List<Problem> problems) {
    /**
     * One reason a trigger would be refused, with the code the trigger would fail with.
     *
     * @param code the code the trigger would fail with, e.g. {@code invalid_input}
     * @param message what is wrong
     */
    public record Problem(String code, String message) {
    }
}
