package io.runledger.core.internal.notify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one dedicated connection that LISTENs on the {@code runledger} channel and turns
 * notifications into {@link WakeUps}. Notifications are wake-ups only: on a reconnect it
 * wakes everyone, since anything may have changed meanwhile.
 */
public final class PgListener implements AutoCloseable {
    public static final String CHANNEL = "runledger";
    /** Between the payloads of one notification: names never contain a newline. */
    public static final String SEPARATOR = "\n";
    private static final Logger log = LoggerFactory.getLogger(PgListener.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String jdbcUrl;
    private final Properties properties;
    private final WakeUps wakeUps;
    private final ServiceChanges serviceChanges;
    private final WaitChanges waitChanges;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public PgListener(String jdbcUrl, String user, String password, WakeUps wakeUps, ServiceChanges serviceChanges,
                      WaitChanges waitChanges) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.wakeUps = Objects.requireNonNull(wakeUps, "wakeUps");
        this.serviceChanges = Objects.requireNonNull(serviceChanges, "serviceChanges");
        this.waitChanges = Objects.requireNonNull(waitChanges, "waitChanges");
        this.properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "runledger-listener");
        this.thread = Thread.ofPlatform().name("runledger-listener").daemon(true).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, properties)) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                backoff = Duration.ofMillis(100);
                serviceChanges.allMayHaveChanged();
                wakeUps.wakeAll();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications((int) POLL.toMillis());
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            for (String payload : n.getParameter().split(SEPARATOR)) {
                                dispatch(payload);
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                log.warn("LISTEN connection lost ({}); reconnecting in {} ms", e.getMessage(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Payloads: {@code w|scope} (new leasable work), {@code e|scope|runId} (events appended),
     * {@code s|scope|service} (a service definition changed), {@code r|scope|runId} (a
     * waitpoint the run waits on finished: the database's settle trigger sends it). One notification carries
     * several, joined by {@link #SEPARATOR}, so a transaction that touches many runs sends a
     * few notifications, not one per run.
     */
    private void dispatch(String payload) {
        String[] parts = payload.split("\\|", 3);
        if (parts.length == 2 && parts[0].equals("w")) {
            wakeUps.notified(WakeUps.workKey(parts[1]));
        } else if (parts.length == 3 && parts[0].equals("e")) {
            wakeUps.notified(WakeUps.eventsKey(parts[1], parts[2]));
        } else if (parts.length == 3 && parts[0].equals("s")) {
            serviceChanges.serviceChanged(parts[1], parts[2]);
        } else if (parts.length == 3 && parts[0].equals("r")) {
            waitChanges.waitpointsDone(parts[1], parts[2]);
        }
    }

    public static String servicePayload(String scope, String service) {
        return "s|" + scope + "|" + service;
    }

    public static String workPayload(String scope) {
        return "w|" + scope;
    }

    public static String eventsPayload(String scope, String runId) {
        return "e|" + scope + "|" + runId;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
