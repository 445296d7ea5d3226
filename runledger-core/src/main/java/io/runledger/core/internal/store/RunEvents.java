package io.runledger.core.internal.store;

import io.runledger.api.EventDraft;
import java.util.List;

/** Events to append to one run, in order: a part of {@link RunStore#eventsAppend(org.jdbi.v3.core.Handle, List)}. */
public record RunEvents(String scope, String runId, List<EventDraft> events) {
    public RunEvents {
        events = List.copyOf(events);
    }
}
