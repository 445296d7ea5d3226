package io.runledger.client;

/**
 * Unwinds a handler whose run was suspended: the lease is over, and the handler's code after
 * the wait runs on a later lease, replaying what it recorded. It extends {@link Error}, not
 * {@code Exception}, so that the usual {@code catch (Exception e)} in a handler lets it pass:
 * a handler that swallowed it would go on working under a lease that no longer exists. (A
 * handler that catches {@code Throwable} swallows it anyway; the run is still not reported,
 * see {@link RunExecution}.) No stack trace: it is control flow, thrown on every suspend.
 */
final class Suspended extends Error {
    Suspended(String step) {
        super("the run was suspended at step '" + step + "'", null, false, false);
    }
}
