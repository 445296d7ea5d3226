package io.runledger.client.internal;

import io.runledger.api.Schedule;
import io.runledger.api.ScheduleSpec;
import io.runledger.api.Schedules;
import java.util.List;
import java.util.Objects;

/** {@link Schedules} over HTTP: {@code .../schedules[/{scheduleId}]}. */
public final class HttpSchedules implements Schedules {
    private final Transport transport;

    public HttpSchedules(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    private static String schedule(String scope, String scheduleId) {
        return Paths.scope(scope) + "/schedules/" + Transport.enc(scheduleId);
    }

    /** Created or replaced: the server says which by its status (201 or 200). */
    @Override
    public Schedule put(String scope, String scheduleId, ScheduleSpec spec) {
        Transport.Answer answer = transport.put(schedule(scope, scheduleId), ScheduleWire.body(spec));
        return ScheduleWire.schedule(answer.body(), answer.status() == 201);
    }

    @Override
    public Schedule get(String scope, String scheduleId) {
        return ScheduleWire.schedule(transport.get(schedule(scope, scheduleId), null, null, null).body(), false);
    }

    @Override
    public List<Schedule> list(String scope) {
        return Wire.items(transport.get(Paths.scope(scope) + "/schedules", null, null, null).body(),
                n -> ScheduleWire.schedule(n, false));
    }

    @Override
    public void delete(String scope, String scheduleId) {
        transport.delete(schedule(scope, scheduleId));
    }
}
