package io.runledger.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A request head must be complete within a deadline, else the connection is closed: within
 * the deadline of the connection opening, and, on a kept-alive connection, within one to two
 * deadlines of its first byte (checks run once per deadline). Jetty has no such timeout: its
 * idle timeout starts over with every byte, so a client sending its head one byte every few
 * seconds would hold a connection, and a slot under the connection cap, as long as it likes.
 * A kept-alive connection that sends nothing is left to the connector's idle timeout, and
 * while a request is being handled (a long wait, a stream) no deadline applies.
 *
 * <p>Add it as the server's outermost handler, and its {@link #connectionListener()} to the
 * connector.
 */
public final class RequestHeadDeadline extends Handler.Wrapper {
    private final long deadlineMillis;
    private final Map<Connection, State> connections = new ConcurrentHashMap<>();

    /** One connection: requests started on it, whether one is being handled, the pending check. */
    private static final class State {
        volatile long started;
        volatile boolean busy;
        volatile Scheduler.Task check;
    }

    public RequestHeadDeadline(Duration deadline, Handler handler) {
        super(handler);
        this.deadlineMillis = Objects.requireNonNull(deadline, "deadline").toMillis();
    }

    /**
     * Tracks the connector's connections. A plain object, not this handler: a connector
     * manages its listeners as beans, and must not start or stop the handler.
     */
    public Connection.Listener connectionListener() {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                State state = new State();
                connections.put(connection, state);
                // A new connection exists to send a request: its head is due at once.
                schedule(connection, state, () -> {
                    if (!state.busy && state.started == 0) {
                        connection.getEndPoint().close();
                    }
                });
            }

            @Override
            public void onClosed(Connection connection) {
                State state = connections.remove(connection);
                if (state != null) {
                    cancel(state);
                }
            }
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        State state = connections.get(connection);
        if (state == null) {
            return super.handle(request, response, callback); // not one of the connector's connections
        }
        state.busy = true;
        long started = ++state.started;
        cancel(state);
        Callback answered = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                idle();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                idle();
                super.failed(x);
            }

            private void idle() {
                state.busy = false;
                watchNextHead(connection, state, started, connection.getBytesIn(), false);
            }
        };
        return super.handle(request, response, answered);
    }

    /**
     * After an answer: while no byte comes, the connection is idle (the idle timeout's
     * business); once bytes came without a request starting for a whole deadline, close it.
     */
    private void watchNextHead(Connection connection, State state, long started, long bytesAtAnswer,
                               boolean headBegun) {
        schedule(connection, state, () -> {
            if (state.busy || state.started != started) {
                return; // the next request arrived
            }
            boolean bytesCame = connection.getBytesIn() != bytesAtAnswer;
            if (bytesCame && headBegun) {
                connection.getEndPoint().close();
            } else {
                watchNextHead(connection, state, started, bytesAtAnswer, bytesCame);
            }
        });
    }

    private void schedule(Connection connection, State state, Runnable check) {
        Scheduler scheduler = getServer() == null ? null : getServer().getScheduler();
        if (scheduler != null && connections.get(connection) == state) {
            state.check = scheduler.schedule(check, deadlineMillis, TimeUnit.MILLISECONDS);
        }
    }

    private static void cancel(State state) {
        Scheduler.Task check = state.check;
        if (check != null) {
            check.cancel();
        }
    }
}
