package io.runledger.api;

import java.util.Locale;

/** What a webhook receives. */
public enum WebhookKind {
    /** The run events its filters match, one delivery per event. */
    EVENTS,
    /**
     * At most one {@code alert.runs_failed} per service per window: how many runs of the
     * service failed in the window, with a sample of their ids.
     */
    ALERT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WebhookKind fromWire(String value) {
        for (WebhookKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new InvalidArgumentException("webhook kind must be events or alert");
    }
}
