package io.runledger.api;

import java.util.List;

/** A preflight check of a trigger: would it be accepted, and if not, why. Nothing is written. */
public record ValidationReport(boolean valid, List<Problem> problems) {
    /** One reason a trigger would be refused, with the code the trigger would fail with. */
    public record Problem(String code, String message) {
    }
}
