package io.runledger.api;

import java.util.List;
import java.util.Map;

/** A run input that does not satisfy its service's JSON Schema. */
public final class InvalidInputException extends RunLedgerException {
    /** What the schema validation found. */
    private final List<String> problems;

    /**
     * An input the service's schema refuses.
     *
     * @param problems what the validation found, one message each
     */
    public InvalidInputException(List<String> problems) {
        super("invalid_input", "input does not match the service's input schema: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** {@return what the validation found, one message each} */
    public List<String> problems() {
        return problems;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("problems", problems);
    }
}
