package io.runledger.core.internal.webhooks;

import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.AlertWindow;
import io.runledger.core.internal.store.WebhookStore;
import java.util.List;
import java.util.Objects;

/**
 * Closes alert windows: the failures an alert webhook noted for a service in a window that
 * has ended become one {@code alert.runs_failed} delivery, which the dispatcher then sends
 * like any other (signed, retried, dead after its attempts). Several instances may close the
 * same window at once; the window's derived delivery id lets only one delivery exist.
 */
final class AlertWindows {
    /** How long after its end a window is closed: a failure's transaction began inside it may still commit. */
    static final int GRACE_SECONDS = 2;
    private static final int BATCH = 100;

    private final Tx tx;
    private final WebhookStore store;

    AlertWindows(Tx tx, WebhookStore store) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Turns every window that has closed into its delivery; returns how many deliveries it made. */
    int closeDue() {
        int made = 0;
        while (true) {
            List<AlertWindow> due = tx.read(h -> store.alertWindowsDue(h, GRACE_SECONDS, BATCH));
            for (AlertWindow w : due) {
                if (tx.run((h, c) -> store.alertWindowClose(h, w))) {
                    made++;
                }
            }
            if (due.size() < BATCH) {
                return made;
            }
        }
    }
}
