package io.runledger.server.agentprotocol;

import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Run;
import io.runledger.api.RunStatus;
import io.runledger.api.ThreadRun;
import java.util.List;

/** The protocol's run statuses, mapped from RunLedger's. */
final class ApStatus {
    static final String PENDING = "pending";
    static final String RUNNING = "running";
    static final String SUCCESS = "success";
    static final String ERROR = "error";
    static final String TIMEOUT = "timeout";
    static final String INTERRUPTED = "interrupted";

    private ApStatus() {
    }

    /**
     * Queued and delayed runs are {@code pending}; a run waiting on a pending token waits for
     * someone (an interrupt), one waiting on time or other runs is still at work; a cancelled
     * run was interrupted, as LangGraph calls a cancelled run; an expired one timed out.
     */
    static String of(ThreadRun tr) {
        Run run = tr.run();
        return switch (run.status()) {
            case ACCEPTED, SCHEDULED -> PENDING;
            case RUNNING -> RUNNING;
            case WAITING -> tr.interrupted() ? INTERRUPTED : RUNNING;
            case SUCCEEDED -> SUCCESS;
            case FAILED -> ERROR;
            case CANCELLED -> INTERRUPTED;
            case EXPIRED -> TIMEOUT;
        };
    }

    /** Whether a wait or a stream of the run is over: it settled, or it waits for someone. */
    static boolean done(ThreadRun tr) {
        return tr.run().status().isTerminal() || tr.interrupted();
    }

    /** The engine statuses a protocol status filter stands for (waiting runs under both). */
    static List<RunStatus> filter(String status) {
        if (status == null) {
            return List.of();
        }
        return switch (status) {
            case PENDING -> List.of(RunStatus.ACCEPTED, RunStatus.SCHEDULED);
            case RUNNING -> List.of(RunStatus.RUNNING, RunStatus.WAITING);
            case SUCCESS -> List.of(RunStatus.SUCCEEDED);
            case ERROR -> List.of(RunStatus.FAILED);
            case TIMEOUT -> List.of(RunStatus.EXPIRED);
            case INTERRUPTED -> List.of(RunStatus.CANCELLED, RunStatus.WAITING);
            default -> throw new InvalidArgumentException(
                    "status must be one of pending, running, error, success, timeout, interrupted");
        };
    }
}
