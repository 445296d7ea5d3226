package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Token waitpoints: created, completed (by a call or a callback URL), read and listed. */
public interface Waitpoints {

    NewWaitpoint create(String scope, WaitpointCreate request);

    /**
     * Completes a pending token with {@code data} and resumes the runs it was the last
     * waitpoint of. Completing again with the same data answers the waitpoint unchanged; with
     * other data (or once it timed out) it is refused with {@code waitpoint_already_completed}.
     */
    Waitpoint complete(String scope, String waitpointId, JsonNode data);

    /**
     * {@link #complete}, authorised by the secret of the token's callback URL instead of a key.
     * Over HTTP the answer carries only the waitpoint's id, kind, status, data and completion
     * time: the caller holds no key of the scope.
     */
    Waitpoint completeByCallback(String secret, JsonNode data);

    Waitpoint get(String scope, String waitpointId);

    Page<Waitpoint> list(String scope, WaitpointFilter filter);
}
