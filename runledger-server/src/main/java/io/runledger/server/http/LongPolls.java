package io.runledger.server.http;

import io.runledger.api.Ledger;
import java.util.Objects;

/**
 * The server's long waits (worker lease polls, run waits, live streams), all made through
 * one engine session: {@link #drain()} closes it, which ends them all at once, so a graceful
 * shutdown does not sit out timeouts of up to minutes, and new waits return after their first
 * check. Threads are never interrupted: an interrupted virtual thread would close the pooled
 * JDBC connection it is using.
 */
public final class LongPolls {
    private final Ledger session;
    private volatile boolean draining;

    public LongPolls(Ledger session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /** The operations every route uses, their waits ended by {@link #drain()}. */
    public Ledger session() {
        return session;
    }

    public boolean draining() {
        return draining;
    }

    /** Ends every wait now, and makes new waits return after their first check. */
    public void drain() {
        draining = true;
        session.close();
    }
}
