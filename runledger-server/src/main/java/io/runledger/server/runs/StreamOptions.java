package io.runledger.server.runs;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.runledger.api.InvalidArgumentException;
import io.runledger.server.wire.OneOf;

/**
 * What a streaming trigger's body ({@code POST .../runs:stream}) has besides a trigger body:
 * whether dropping the stream cancels the run.
 */
public record StreamOptions(
        @JsonPropertyDescription("cancel: dropping this connection cancels the run; detach (the default): the run"
                + " goes on") @OneOf({"detach", "cancel"}) String onDisconnect) {

    public static final String ON_DISCONNECT = "onDisconnect";

    /** Whether dropping the stream cancels the run: only when the body says {@code "cancel"}. */
    public boolean cancelOnDisconnect() {
        if (onDisconnect == null || onDisconnect.equals("detach")) {
            return false;
        }
        if (onDisconnect.equals("cancel")) {
            return true;
        }
        throw new InvalidArgumentException("onDisconnect must be 'cancel' or 'detach'");
    }
}
