package io.runledger.api;

import java.time.Duration;
import java.time.Instant;

/**
 * A token that may only read one run (get it, page through or export its events, wait on it
 * and stream it) until {@code expiresAt}: what a browser's {@code EventSource} can carry as
 * {@code ?access_token=}, where it cannot send a key. The token is in this answer only; only
 * its hash is stored.
 *
 * @param token the token, shown this once
 * @param expiresAt when it stops being accepted, by the database's clock
 */
public record RunAccessToken(String token, Instant expiresAt) {
    /** The validity when none is asked for. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The longest validity a token may be given, in seconds (a day). */
    public static final long MAX_TTL_SECONDS = 86_400;
    /** The longest validity a token may be given. */
    public static final Duration MAX_TTL = Duration.ofSeconds(MAX_TTL_SECONDS);
    /**
     * The most unexpired tokens one run may have; one more is refused with
     * {@code too_many_access_tokens} until one expires, so nobody can fill the table.
     */
    public static final int MAX_LIVE_PER_RUN = 100;
}
