package io.runledger.api;

import java.util.List;
import java.util.Map;

/** A run input that does not satisfy its service's JSON Schema. */
public final class InvalidInputException extends RunLedgerException {
    private final List<String> problems;

    public InvalidInputException(List<String> problems) {
        super("invalid_input", "input does not match the service's input schema: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("problems", problems);
    }
}
