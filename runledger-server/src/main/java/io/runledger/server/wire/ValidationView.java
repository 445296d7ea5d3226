package io.runledger.server.wire;

import java.util.List;

/** A trigger's preflight: whether it would be accepted, and why not. */
public record ValidationView(
        boolean valid,
        List<ValidationProblemView> problems) {
}
