package io.runledger.core.internal.schedules;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.CronType;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.runledger.api.InvalidArgumentException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * A cron expression read in an IANA time zone, and its fire times, as cron-utils computes
 * them over {@link java.time.ZonedDateTime}. Five fields are Unix cron (minute, hour, day of
 * month, month, day of week); six put seconds first, with the same meaning for the rest.
 *
 * <p>Across daylight-saving changes (cron-utils' rules, pinned by tests): a wall-clock time
 * that does not exist on the day clocks spring forward does not fire that day (a daily
 * {@code 30 2 * * *} in Europe/Berlin skips 2026-03-29); a wall-clock time that happens
 * twice when clocks fall back fires once, at its first occurrence, for a daily expression,
 * while an hourly one fires every real hour (both 02:00s).
 */
public final class CronSchedule {
    public static final int MAX_LENGTH = 200;

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Unix cron with a seconds field first (cron-utils has no such predefined type). */
    private static final CronDefinition WITH_SECONDS = CronDefinitionBuilder.defineCron()
            .withSeconds().withValidRange(0, 59).withStrictRange().and()
            .withMinutes().withValidRange(0, 59).withStrictRange().and()
            .withHours().withValidRange(0, 23).withStrictRange().and()
            .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
            .withMonth().withValidRange(1, 12).withStrictRange().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
            .instance();
    private static final CronParser SECONDS = new CronParser(WITH_SECONDS);
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /**
     * The schedule of {@code expression} in {@code timezone}; a bad expression or an unknown
     * zone is refused with a message naming the problem.
     */
    public static CronSchedule parse(String expression, String timezone) {
        ZoneId zone = zone(timezone);
        if (expression == null || expression.isBlank()) {
            throw new InvalidArgumentException("cron is required: five fields (minute hour day-of-month month"
                    + " day-of-week) or six with seconds first");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("cron must be at most " + MAX_LENGTH + " characters");
        }
        String trimmed = expression.trim();
        int fields = trimmed.split("\\s+").length;
        CronParser parser = switch (fields) {
            case 5 -> UNIX;
            case 6 -> SECONDS;
            default -> throw new InvalidArgumentException("cron '" + expression + "' has " + fields
                    + " fields; it needs five (minute hour day-of-month month day-of-week) or six (seconds first)");
        };
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron(parser.parse(trimmed));
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("cron '" + expression + "' is not valid: " + e.getMessage());
        }
        CronSchedule schedule = new CronSchedule(trimmed, zone, times);
        if (schedule.nextAfter(Instant.now()).isEmpty()) {
            throw new InvalidArgumentException("cron '" + expression + "' never fires");
        }
        return schedule;
    }

    /** An IANA zone id (as {@code Europe/Berlin} or {@code UTC}); null means UTC. */
    public static ZoneId zone(String timezone) {
        if (timezone == null) {
            return ZoneId.of("UTC");
        }
        if (!ZONES.contains(timezone)) {
            throw new InvalidArgumentException("timezone '" + timezone
                    + "' is not an IANA time zone (such as Europe/Berlin or UTC)");
        }
        return ZoneId.of(timezone);
    }

    public String expression() {
        return expression;
    }

    /** The first fire time strictly after {@code t}; empty if there is none. */
    public Optional<Instant> nextAfter(Instant t) {
        // cron-utils keeps the fraction of a second it is given: start from the whole second.
        try {
            return times.nextExecution(t.truncatedTo(ChronoUnit.SECONDS).atZone(zone)).map(z -> z.toInstant());
        } catch (RuntimeException e) {
            return Optional.empty(); // beyond the years cron-utils computes
        }
    }

    /** The last fire time at or before {@code t}; empty if there is none. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        Instant bound = t.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1); // lastExecution is strictly before
        try {
            return times.lastExecution(bound.atZone(zone)).map(z -> z.toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
