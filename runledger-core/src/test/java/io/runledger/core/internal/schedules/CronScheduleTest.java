package io.runledger.core.internal.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.InvalidArgumentException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fire times as computed (never waited for), in exact UTC instants, across the daylight-saving
 * changes of Europe/Berlin in 2026: clocks spring forward on 2026-03-29 at 02:00 CET (01:00Z)
 * to 03:00 CEST, and fall back on 2026-10-25 at 03:00 CEST (01:00Z) to 02:00 CET.
 */
class CronScheduleTest {
    private static final String BERLIN = "Europe/Berlin";

    private static List<Instant> fires(String cron, String zone, String after, int n) {
        CronSchedule schedule = CronSchedule.parse(cron, zone);
        List<Instant> out = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < n; i++) {
            t = schedule.nextAfter(t).orElseThrow();
            out.add(t);
        }
        return out;
    }

    private static List<Instant> instants(String... texts) {
        return java.util.Arrays.stream(texts).map(Instant::parse).toList();
    }

    @Test
    void aDailyTimeInTheSkippedSpringHourDoesNotFireThatDay() {
        // 02:30 on 2026-03-29 does not exist in Berlin: 28th 02:30 CET, then 30th 02:30 CEST.
        assertThat(fires("30 2 * * *", BERLIN, "2026-03-27T12:00:00Z", 3)).containsExactlyElementsOf(instants(
                "2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"));
    }

    @Test
    void aDailyTimeInTheRepeatedAutumnHourFiresOnceAtItsFirstOccurrence() {
        // 02:30 happens twice on 2026-10-25 (00:30Z in CEST, 01:30Z in CET): it fires at the first.
        assertThat(fires("30 2 * * *", BERLIN, "2026-10-24T12:00:00Z", 3)).containsExactlyElementsOf(instants(
                "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z"));
    }

    @Test
    void anHourlyScheduleFiresEveryRealHourAcrossBothChanges() {
        // Spring: local 02:00 does not exist; the real hours still each fire once.
        assertThat(fires("0 * * * *", BERLIN, "2026-03-28T23:30:00Z", 4)).containsExactlyElementsOf(instants(
                "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", "2026-03-29T03:00:00Z"));
        // Autumn: local 02:00 happens twice, and fires at both (the day has 25 hours, 25 fires).
        assertThat(fires("0 * * * *", BERLIN, "2026-10-24T22:30:00Z", 4)).containsExactlyElementsOf(instants(
                "2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"));
        assertThat(fires("0 * * * *", BERLIN, "2026-10-24T21:59:59Z", 25).getLast())
                .isEqualTo(Instant.parse("2026-10-25T22:00:00Z"));
    }

    @Test
    void utcIsTheDefaultZone() {
        assertThat(fires("30 2 * * *", null, "2026-03-28T12:00:00Z", 2)).containsExactlyElementsOf(instants(
                "2026-03-29T02:30:00Z", "2026-03-30T02:30:00Z"));
    }

    @Test
    void sixFieldsPutSecondsFirst() {
        assertThat(fires("* * * * * *", "UTC", "2026-01-01T12:00:00.400Z", 3)).containsExactlyElementsOf(instants(
                "2026-01-01T12:00:01Z", "2026-01-01T12:00:02Z", "2026-01-01T12:00:03Z"));
        assertThat(fires("*/15 * * * * *", "UTC", "2026-01-01T12:00:00Z", 2)).containsExactlyElementsOf(instants(
                "2026-01-01T12:00:15Z", "2026-01-01T12:00:30Z"));
        assertThat(fires("0 0 9 * * 1-5", BERLIN, "2026-06-05T12:00:00Z", 2)).as("weekdays at 09:00 CEST")
                .containsExactlyElementsOf(instants("2026-06-08T07:00:00Z", "2026-06-09T07:00:00Z"));
    }

    @Test
    void nextAfterIsStrictlyAfterAndLatestIsAtOrBefore() {
        CronSchedule everySecond = CronSchedule.parse("* * * * * *", "UTC");
        Instant whole = Instant.parse("2026-01-01T12:00:05Z");
        assertThat(everySecond.nextAfter(whole)).contains(Instant.parse("2026-01-01T12:00:06Z"));
        assertThat(everySecond.latestAtOrBefore(whole)).contains(whole);
        assertThat(everySecond.latestAtOrBefore(whole.plusMillis(999))).contains(whole);
        CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");
        assertThat(hourly.latestAtOrBefore(Instant.parse("2026-01-01T12:59:59.999Z")))
                .contains(Instant.parse("2026-01-01T12:00:00Z"));
    }

    @Test
    void badExpressionsAndZonesAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> CronSchedule.parse("* * *", "UTC")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("has 3 fields");
        assertThatThrownBy(() -> CronSchedule.parse("* * * * * * *", "UTC")).hasMessageContaining("has 7 fields");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", "UTC")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'61 * * * *' is not valid").hasMessageContaining("61");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *", "UTC")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> CronSchedule.parse(null, "UTC")).hasMessageContaining("cron is required");
        assertThatThrownBy(() -> CronSchedule.parse("* * * * *", "Mars/Olympus_Mons"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("timezone 'Mars/Olympus_Mons' is not an IANA time zone");
        assertThatThrownBy(() -> CronSchedule.parse("* * * * *", "+02:00")).hasMessageContaining("IANA");
        assertThatThrownBy(() -> CronSchedule.parse("* ".repeat(120), "UTC")).hasMessageContaining("at most 200");
    }
}
