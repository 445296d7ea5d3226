package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Schedule;
import io.runledger.api.ScheduleCatchUp;
import io.runledger.api.ScheduleOverlap;
import io.runledger.api.ScheduleSpec;

/** The JSON of schedules: the PUT body and the answers. */
final class ScheduleWire {
    private ScheduleWire() {
    }

    /** Null fields are left out: the server applies its defaults. */
    static ObjectNode body(ScheduleSpec spec) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        body.put("service", spec.service());
        body.put("cron", spec.cron());
        if (spec.timezone() != null) {
            body.put("timezone", spec.timezone());
        }
        if (spec.input() != null) {
            body.set("input", spec.input());
        }
        if (spec.enabled() != null) {
            body.put("enabled", spec.enabled());
        }
        if (spec.overlap() != null) {
            body.put("overlap", spec.overlap().wireName());
        }
        if (spec.catchUp() != null) {
            body.put("catchUp", spec.catchUp().wireName());
        }
        return body;
    }

    /** {@code created} comes from the status of the PUT (201), not from the body. */
    static Schedule schedule(JsonNode n, boolean created) {
        JsonNode input = n.get("input");
        return new Schedule(Wire.text(n, "scope"), Wire.text(n, "scheduleId"), Wire.text(n, "service"),
                Wire.text(n, "cron"), Wire.text(n, "timezone"), input == null ? NullNode.getInstance() : input,
                n.path("enabled").asBoolean(), ScheduleOverlap.fromWire(Wire.text(n, "overlap")),
                ScheduleCatchUp.fromWire(Wire.text(n, "catchUp")), Wire.instant(n, "nextFireAt"),
                Wire.text(n, "lastRunId"), Wire.instant(n, "lastFireAt"), Wire.instant(n, "createdAt"),
                Wire.instant(n, "updatedAt"), created);
    }
}
