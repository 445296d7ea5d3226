package io.runledger.core.internal.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.ScheduleCatchUp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Late versus missed: what one pass fires for a due schedule, and where it goes next. */
class FirePlanTest {
    private static final CronSchedule EVERY_SECOND = CronSchedule.parse("* * * * * *", "UTC");
    private static final CronSchedule EVERY_MINUTE = CronSchedule.parse("* * * * *", "UTC");
    private static final CronSchedule HOURLY = CronSchedule.parse("0 * * * *", "UTC");

    private static Instant at(String t) {
        return Instant.parse("2026-05-01T" + t + "Z");
    }

    @Test
    void aDueTimeFiresOnceAndTheNextIsTheFollowingTime() {
        FirePlan plan = FirePlan.of(EVERY_SECOND, at("10:00:00"), at("10:00:00.020"), ScheduleCatchUp.NONE);
        assertThat(plan).isEqualTo(new FirePlan(List.of(at("10:00:00")), false, at("10:00:01")));
    }

    @Test
    void aLoneDueTimeFiresHoweverLateWithEitherCatchUp() {
        // 30 minutes late on an hourly schedule: less than one period, so not missed.
        for (ScheduleCatchUp c : ScheduleCatchUp.values()) {
            assertThat(FirePlan.of(HOURLY, at("10:00:00"), at("10:30:00"), c))
                    .isEqualTo(new FirePlan(List.of(at("10:00:00")), false, at("11:00:00")));
        }
    }

    @Test
    void aPassAMomentLateFiresEveryDueTime() {
        // The next time is overdue by 0.5 s (< 1 s grace): a pause, not an outage.
        for (ScheduleCatchUp c : ScheduleCatchUp.values()) {
            assertThat(FirePlan.of(EVERY_SECOND, at("10:00:00"), at("10:00:01.500"), c))
                    .isEqualTo(new FirePlan(List.of(at("10:00:00"), at("10:00:01")), false, at("10:00:02")));
            assertThat(FirePlan.of(EVERY_MINUTE, at("10:00:00"), at("10:01:00.999"), c))
                    .isEqualTo(new FirePlan(List.of(at("10:00:00"), at("10:01:00")), false, at("10:02:00")));
        }
    }

    @Test
    void afterAnOutageLatestFiresTheMostRecentMissedTimeOnce() {
        assertThat(FirePlan.of(EVERY_SECOND, at("10:00:00"), at("10:00:10.300"), ScheduleCatchUp.LATEST))
                .isEqualTo(new FirePlan(List.of(at("10:00:10")), true, at("10:00:11")));
        assertThat(FirePlan.of(HOURLY, at("10:00:00"), at("13:10:00"), ScheduleCatchUp.LATEST))
                .isEqualTo(new FirePlan(List.of(at("13:00:00")), true, at("14:00:00")));
        // At the boundary: the second due time overdue by exactly the grace counts as missed.
        assertThat(FirePlan.of(EVERY_MINUTE, at("10:00:00"), at("10:01:01"), ScheduleCatchUp.LATEST))
                .isEqualTo(new FirePlan(List.of(at("10:01:00")), true, at("10:02:00")));
    }

    @Test
    void afterAnOutageNoneFiresNothingAndGoesOnWithTheNextTime() {
        assertThat(FirePlan.of(EVERY_SECOND, at("10:00:00"), at("10:00:10.300"), ScheduleCatchUp.NONE))
                .isEqualTo(new FirePlan(List.of(), true, at("10:00:11")));
        assertThat(FirePlan.of(HOURLY, at("10:00:00"), at("13:10:00"), ScheduleCatchUp.NONE))
                .isEqualTo(new FirePlan(List.of(), true, at("14:00:00")));
    }
}
