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
 * A request head must arrive within a deadline of the connection opening or of the previous
 * answer, else the connection is closed. Jetty has no such timeout: its idle timeout starts
 * over with every byte, so a client that sends its head one byte every few seconds would
 * hold a connection (and a slot under the connection cap) for as long as it likes. While a
 * request is being handled (a long wait, a stream) the deadline does not apply.
 *
 * <p>Add it as the server's outermost handler, and its {@link #connectionListener()} to the
 * connector.
 */
public final class RequestHeadDeadline extends Handler.Wrapper {
    private final long deadlineMillis;
    private final Map<Connection, State> connections = new ConcurrentHashMap<>();

    /** Requests started on one connection, and whether one is being handled now. */
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
                connections.put(connection, new State());
                expectHead(connection, 0);
            }

            @Override
            public void onClosed(Connection connection) {
                State state = connections.remove(connection);
                if (state != null) {
                    cancelCheck(state);
                }
            }
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        State state = connections.get(connection);
        if (state == null) {
            return super.handle(request, response, callback); // not one of the connector's (a test, HTTP/2)
        }
        state.busy = true;
        long started = ++state.started;
        cancelCheck(state);
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                answered();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                answered();
                super.failed(x);
            }

            private void answered() {
                state.busy = false;
                expectHead(connection, started);
            }
        };
        return super.handle(request, response, done);
    }

    /** Closes the connection if, a deadline from now, no request after the {@code started}-th has begun. */
    private void expectHead(Connection connection, long started) {
        State state = connections.get(connection);
        Scheduler scheduler = getServer() == null ? null : getServer().getScheduler();
        if (state == null || scheduler == null) {
            return;
        }
        cancelCheck(state);
        state.check = scheduler.schedule(() -> {
            if (!state.busy && state.started == started) {
                connection.getEndPoint().close();
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private static void cancelCheck(State state) {
        Scheduler.Task check = state.check;
        if (check != null) {
            check.cancel();
        }
    }
}
