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

    /**
     * {@return the name on the wire and in the database: the constant's name in lower case, e.g. {@code
     * alert}}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request
     * @return the kind it names
     * @throws InvalidArgumentException if it names none
     */
    public static WebhookKind fromWire(String value) {
        for (WebhookKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new InvalidArgumentException("webhook kind must be events or alert");
    }
}
