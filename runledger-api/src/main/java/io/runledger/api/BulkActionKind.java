package io.runledger.api;

import java.util.Locale;

/** What a bulk action does to each run it matched. */
public enum BulkActionKind {
    /** Cancel each run as a cancel does (without cascading to its children). */
    CANCEL,
    /** Replay each run: a new run of its service with its input, naming it in {@code replayOf}. */
    REPLAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BulkActionKind fromWire(String value) {
        for (BulkActionKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new InvalidArgumentException("action must be one of cancel, replay");
    }
}
