package io.runledger.server.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedules API over HTTP: CRUD, refusals that write nothing, scope isolation, overlap skip. */
class CronSchedulesHttpTest extends ServerTestBase {
    private static final String S = P + "/schedules/";
    /** Fires once a year, so nothing fires while a test looks. */
    private static final String YEARLY = "{\"service\":\"work\",\"cron\":\"0 0 1 1 *\",\"input\":{\"n\":1}}";

    private static Http.Reply delete(Http http, String path) {
        return http.send("DELETE", path, null, java.util.Map.of());
    }

    private static String nextNewYear(ZoneOffset offset) {
        int year = LocalDate.now(ZoneOffset.UTC).getYear() + 1;
        return LocalDate.of(year, 1, 1).atStartOfDay(offset).toInstant().toString().replace("Z", ".000000Z");
    }

    @Test
    void putCreatesThenReplacesAndARepeatedPutChangesNothing() {
        Http.Reply created = api.put(S + "nightly", YEARLY);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode s = created.json();
        assertThat(s.get("scheduleId").asText()).isEqualTo("nightly");
        assertThat(s.get("scope").asText()).isEqualTo(SCOPE);
        assertThat(s.get("service").asText()).isEqualTo(SERVICE);
        assertThat(s.get("cron").asText()).isEqualTo("0 0 1 1 *");
        assertThat(s.get("timezone").asText()).isEqualTo("UTC");
        assertThat(s.get("input")).isEqualTo(Http.JSON.createObjectNode().put("n", 1));
        assertThat(s.get("enabled").asBoolean()).isTrue();
        assertThat(s.get("overlap").asText()).isEqualTo("allow");
        assertThat(s.get("catchUp").asText()).isEqualTo("latest");
        assertThat(s.get("nextFireAt").asText()).isEqualTo(nextNewYear(ZoneOffset.UTC));
        assertThat(s.get("lastRunId").isNull()).isTrue();
        assertThat(s.get("lastFireAt").isNull()).isTrue();
        assertThat(s.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        Http.Reply again = api.put(S + "nightly", YEARLY);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).as("a repeated PUT changes nothing, updatedAt included").isEqualTo(s);
        assertThat(api.get(S + "nightly").json()).isEqualTo(s);

        Http.Reply berlin = api.put(S + "nightly", "{\"service\":\"work\",\"cron\":\"0 0 1 1 *\","
                + "\"timezone\":\"Europe/Berlin\",\"overlap\":\"skip\",\"catchUp\":\"none\"}");
        assertThat(berlin.status()).isEqualTo(200);
        assertThat(berlin.json().get("nextFireAt").asText()).as("midnight in Berlin is 23:00Z the day before")
                .isEqualTo(nextNewYear(ZoneOffset.ofHours(1)));
        assertThat(berlin.json().get("overlap").asText()).isEqualTo("skip");
        assertThat(berlin.json().get("catchUp").asText()).isEqualTo("none");
        assertThat(berlin.json().get("input").isNull()).isTrue();
        assertThat(berlin.json().get("createdAt")).isEqualTo(s.get("createdAt"));
        assertThat(berlin.json().get("updatedAt").asText()).isGreaterThan(s.get("updatedAt").asText());

        Http.Reply off = api.put(S + "nightly",
                "{\"service\":\"work\",\"cron\":\"0 0 1 1 *\",\"input\":{\"n\":1},\"enabled\":false}");
        assertThat(off.json().get("enabled").asBoolean()).isFalse();
        assertThat(off.json().get("nextFireAt").isNull()).as("a disabled schedule has no next fire").isTrue();
        Http.Reply on = api.put(S + "nightly", YEARLY);
        assertThat(on.json().get("nextFireAt").asText()).as("enabled again: computed from now")
                .isEqualTo(nextNewYear(ZoneOffset.UTC));

        assertThat(api.put(S + "hourly", "{\"service\":\"work\",\"cron\":\"0 * * * *\"}").status()).isEqualTo(201);
        assertThat(api.get(P + "/schedules").json().get("items").valueStream().map(n -> n.get("scheduleId").asText())
                .toList()).containsExactly("hourly", "nightly");

        assertThat(delete(api, S + "nightly").status()).isEqualTo(204);
        Http.Reply gone = api.get(S + "nightly");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("schedule_not_found");
        assertThat(gone.contentType()).startsWith("application/problem+json");
        assertThat(delete(api, S + "nightly").code()).isEqualTo("schedule_not_found");
        assertThat(api.get(P + "/schedules").json().get("items")).hasSize(1);
        assertThat(api.get(P + "/runs").json().get("items")).as("nothing fired").isEmpty();
    }

    @Test
    void badRequestsAreRefusedWithStableCodesAndWriteNothing() {
        record Bad(String id, String body, int status, String code, String detail) {
        }
        List<Bad> bad = List.of(
                new Bad("x", "{\"service\":\"work\",\"cron\":\"61 * * * *\"}", 400, "invalid_argument",
                        "cron '61 * * * *' is not valid"),
                new Bad("x", "{\"service\":\"work\",\"cron\":\"* * *\"}", 400, "invalid_argument", "has 3 fields"),
                new Bad("x", "{\"service\":\"work\",\"cron\":\"0 0 30 2 *\"}", 400, "invalid_argument", "never fires"),
                new Bad("x", "{\"service\":\"work\"}", 400, "invalid_argument", "cron is required"),
                new Bad("x", "{\"service\":\"work\",\"cron\":\"* * * * *\",\"timezone\":\"Europe/Atlantis\"}", 400,
                        "invalid_argument", "timezone 'Europe/Atlantis' is not an IANA time zone"),
                new Bad("x", "{\"service\":\"work\",\"cron\":\"* * * * *\",\"every\":5}", 400, "unknown_field",
                        "every"),
                new Bad("x", "{\"service\":\"work\",\"cron\":\"* * * * *\",\"enabled\":\"yes\"}", 400,
                        "invalid_argument", "enabled"),
                new Bad("x", "{\"service\":\"work\",\"cron\":\"* * * * *\",\"overlap\":\"sometimes\"}", 400,
                        "invalid_argument", "overlap must be one of allow, skip"),
                new Bad("x", "{\"service\":\"work\",\"cron\":\"* * * * *\",\"catchUp\":\"all\"}", 400,
                        "invalid_argument", "catchUp must be one of latest, none"),
                new Bad("x", "{\"cron\":\"* * * * *\"}", 400, "invalid_argument", "service is required"),
                new Bad("x", "{\"service\":\"nope\",\"cron\":\"* * * * *\"}", 404, "service_not_found", "nope"),
                new Bad("Bad_Id", "{\"service\":\"work\",\"cron\":\"* * * * *\"}", 400, "invalid_name", "Bad_Id"),
                new Bad("x", "[1]", 400, "invalid_json", "object"));
        for (Bad b : bad) {
            Http.Reply r = api.put(S + b.id(), b.body());
            assertThat(r.status()).as(b + " -> " + r).isEqualTo(b.status());
            assertThat(r.code()).as(b.toString()).isEqualTo(b.code());
            assertThat(r.json().get("detail").asText()).as(b.toString()).contains(b.detail());
        }
        // input checked against the service's schema when the schedule is set, not at each fire
        assertThat(api.put(P + "/services/typed", "{\"inputSchema\":{\"type\":\"object\",\"required\":[\"n\"]}}")
                .status()).isEqualTo(200);
        Http.Reply typed = api.put(S + "x", "{\"service\":\"typed\",\"cron\":\"* * * * *\",\"input\":{}}");
        assertThat(typed.status()).isEqualTo(422);
        assertThat(typed.code()).isEqualTo("invalid_input");
        assertThat(api.get(P + "/schedules").json().get("items")).as("nothing written").isEmpty();
        assertThat(api.get(S + "Bad_Id").code()).isEqualTo("invalid_name");
    }

    @Test
    void aScopeHoldsAtMostAThousandSchedules() {
        io.runledger.core.testing.TestDatabase.sql("insert into schedules (scope_id, schedule_id, service, cron,"
                + " timezone, enabled, overlap, catch_up) select 'acme', 's' || i, 'work', '0 0 1 1 *', 'UTC', false,"
                + " 'allow', 'latest' from generate_series(1, 1000) i");
        Http.Reply more = api.put(S + "one-more", YEARLY);
        assertThat(more.status()).isEqualTo(400);
        assertThat(more.code()).isEqualTo("invalid_argument");
        assertThat(more.json().get("detail").asText()).contains("at most 1000 schedules");
        assertThat(api.put(S + "s7", YEARLY).status()).as("replacing one is not a new one").isEqualTo(200);
        assertThat(api.get(P + "/schedules").json().get("items")).hasSize(1000);
    }

    @Test
    void anotherScopesSchedulesAreNotFound() {
        assertThat(api.put("/v1/scopes/globex", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/scopes/globex/services/work", "{}").status()).isEqualTo(200);
        assertThat(api.put("/v1/scopes/globex/schedules/theirs", YEARLY).status()).isEqualTo(201);
        Http acme = api.withKey(api.post(P + "/keys", null).json().get("key").asText());

        assertThat(acme.get(S + "theirs").code()).isEqualTo("schedule_not_found");
        assertThat(delete(acme, S + "theirs").code()).isEqualTo("schedule_not_found");
        assertThat(acme.get(P + "/schedules").json().get("items")).isEmpty();
        for (Http.Reply r : List.of(acme.get("/v1/scopes/globex/schedules/theirs"),
                acme.get("/v1/scopes/globex/schedules"), acme.put("/v1/scopes/globex/schedules/theirs", YEARLY),
                delete(acme, "/v1/scopes/globex/schedules/theirs"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.code()).isEqualTo("scope_not_found");
        }
        assertThat(api.get("/v1/scopes/globex/schedules/theirs").json().get("input").get("n").asInt())
                .as("untouched").isEqualTo(1);
    }

    @Test
    void eachFireIsATriggerWithTheScheduleKeyAndSkipWaitsForThePreviousRunToSettle() {
        Http.Reply put = api.put(S + "tick", "{\"service\":\"work\",\"cron\":\"* * * * * *\",\"overlap\":\"skip\","
                + "\"input\":{\"tick\":true}}");
        assertThat(put.status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs().size() == 1);
        JsonNode first = runs().getFirst();
        JsonNode tick = api.get(S + "tick").json();
        String fireAt = tick.get("lastFireAt").asText();
        assertThat(tick.get("lastRunId").asText()).isEqualTo(first.get("runId").asText());
        assertThat(first.get("commandId").asText()).isEqualTo("schedule/tick/" + fireAt);
        assertThat(fireAt).endsWith(".000000Z");
        assertThat(first.get("input")).isEqualTo(Http.JSON.createObjectNode().put("tick", true));
        assertThat(first.get("metadata").get("scheduleId").asText()).isEqualTo("tick");
        assertThat(api.get(P + "/runs/" + first.get("runId").asText() + "/events").json().get("items").get(0)
                .get("type").asText()).isEqualTo("run.accepted");

        JsonNode lease = leaseOne("w1");
        assertThat(lease.get("runId").asText()).isEqualTo(first.get("runId").asText());
        // Fire times pass while the run is going: each is skipped, nothing is recorded for it.
        Instant firstFire = Instant.parse(fireAt);
        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.parse(api.get(S + "tick").json()
                .get("nextFireAt").asText()).isAfter(firstFire.plusSeconds(4)));
        assertThat(runs()).hasSize(1);
        assertThat(api.get(S + "tick").json().get("lastFireAt").asText()).isEqualTo(fireAt);

        Http.Reply done = api.post(P + "/runs/" + first.get("runId").asText() + "/complete",
                "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\",\"output\":null}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        Instant settled = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs().size() == 2);
        Instant secondFire = Instant.parse(api.get(S + "tick").json().get("lastFireAt").asText());
        assertThat(secondFire).as("the next fire after the run settled").isAfter(settled.minusSeconds(2))
                .isAfter(firstFire.plusSeconds(4));
        assertThat(delete(api, S + "tick").status()).isEqualTo(204);
    }

    private static List<JsonNode> runs() {
        return api.get(P + "/runs?limit=200").json().get("items").valueStream().toList();
    }
}
