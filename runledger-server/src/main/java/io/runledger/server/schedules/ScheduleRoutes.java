package io.runledger.server.schedules;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.InvalidNameException;
import io.runledger.api.Schedule;
import io.runledger.api.ScheduleCatchUp;
import io.runledger.api.ScheduleOverlap;
import io.runledger.api.ScheduleSpec;
import io.runledger.api.Schedules;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.ListView;
import io.runledger.server.wire.OneOf;
import io.runledger.server.wire.Required;
import io.runledger.server.wire.ScheduleView;
import java.util.Objects;

/** Cron schedules of a scope: PUT (create or replace), get, list, delete. */
public final class ScheduleRoutes {
    private final Schedules schedules;
    private final Authenticator auth;

    /** The body of {@code PUT .../schedules/{id}}. */
    public record ScheduleBody(
            @Required String service,
            @Required @JsonPropertyDescription("5 fields, or 6 with seconds") String cron,
            @JsonPropertyDescription("an IANA time zone (default UTC)") String timezone,
            @JsonPropertyDescription("each fire's run input") JsonNode input,
            @JsonPropertyDescription("default true") Boolean enabled,
            @JsonPropertyDescription("skip: no fire while the previous run is non-terminal (default allow)")
            @OneOf(of = ScheduleOverlap.class) String overlap,
            @JsonPropertyDescription("after downtime, latest fires the most recent missed time once")
            @OneOf(of = ScheduleCatchUp.class) String catchUp) {
    }

    public ScheduleRoutes(Schedules schedules, Authenticator auth) {
        this.schedules = Objects.requireNonNull(schedules, "schedules");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.get(Paths.SCHEDULES, this::list);
        routes.put(Paths.SCHEDULE, this::put);
        routes.get(Paths.SCHEDULE, this::get);
        routes.delete(Paths.SCHEDULE, this::delete);
    }

    private static String scheduleId(Context ctx) {
        return InvalidNameException.requireValid("schedule", ctx.pathParam("scheduleId"));
    }

    private void put(Context ctx) {
        String scope = auth.scope(ctx);
        String id = scheduleId(ctx);
        ScheduleBody b = JsonBodies.object(ctx, ScheduleBody.class);
        ScheduleSpec spec = new ScheduleSpec(b.service(), b.cron(), b.timezone(), b.input(), b.enabled(),
                b.overlap() == null ? null : ScheduleOverlap.fromWire(b.overlap()),
                b.catchUp() == null ? null : ScheduleCatchUp.fromWire(b.catchUp()));
        Schedule schedule = schedules.put(scope, id, spec);
        Responses.json(ctx, schedule.created() ? 201 : 200, view(schedule));
    }

    private void get(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, view(schedules.get(scope, scheduleId(ctx))));
    }

    private void list(Context ctx) {
        String scope = auth.scope(ctx);
        Responses.json(ctx, 200, new ListView<>(schedules.list(scope).stream().map(ScheduleRoutes::view).toList()));
    }

    private void delete(Context ctx) {
        String scope = auth.scope(ctx);
        schedules.delete(scope, scheduleId(ctx));
        ctx.status(204);
    }

    /** A schedule as every answer carries it. */
    public static ScheduleView view(Schedule s) {
        return Views.schedule(s);
    }
}
