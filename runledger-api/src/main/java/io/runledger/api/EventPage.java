package io.runledger.api;

import java.util.List;

/** Events with seq greater than the requested one; {@code nextAfter} is the last seq returned. */
public record EventPage(List<RunEvent> items, long nextAfter) {
    public EventPage {
        items = List.copyOf(items);
    }
}
