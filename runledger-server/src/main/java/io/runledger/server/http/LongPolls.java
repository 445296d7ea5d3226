package io.runledger.server.http;

import io.runledger.core.WaitGroup;

/**
 * The server's long waits (worker lease polls, run waits, live streams) as one
 * {@link WaitGroup}: {@link #drain()} ends them all at once, so a graceful shutdown does not
 * sit out timeouts of up to minutes, and new waits return after their first check. Threads
 * are never interrupted: an interrupted virtual thread would close the pooled JDBC
 * connection it is using.
 */
public final class LongPolls {
    private final WaitGroup group = new WaitGroup();

    /** The group every wait of this server joins. */
    public WaitGroup group() {
        return group;
    }

    public boolean draining() {
        return group.ended();
    }

    /** Ends every wait now, and makes new waits return after their first check. */
    public void drain() {
        group.end();
    }
}
