package io.runledger.server.wire;

/** One reason a trigger would be refused. */
public record ValidationProblemView(
        String code,
        String message) {
}
