package io.runledger.api;

import java.util.List;

/**
 * Events with seq greater than the requested one; {@code nextAfter} is the last seq returned.
 *
 * @param items the events, by seq
 * @param nextAfter the seq to ask after for the next page
 */
public record EventPage(List<RunEvent> items, long nextAfter) {
    /** Keeps an unmodifiable copy of {@code items}. */
    public EventPage {
        items = List.copyOf(items);
    }
}
