package io.runledger.server.wire;

import java.util.List;

/** Every item, in one answer. */
public record ListView<T>(
        List<T> items) {
}
