package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Token waitpoints: created, completed (by a call or a callback URL), read and listed. */
public interface Waitpoints {

    /**
     * Creates a token waitpoint, pending until completed or timed out.
     *
     * @param scope the scope
     * @param request its timeout, idempotency key, tags and run
     * @return the waitpoint and, on a first create, its callback URL
     */
    NewWaitpoint create(String scope, WaitpointCreate request);

    /**
     * Completes a pending token with {@code data} and resumes the runs it was the last
     * waitpoint of. Completing again with the same data answers the waitpoint unchanged; with
     * other data (or once it timed out) it is refused with {@code waitpoint_already_completed}.
     *
     * @param scope the scope
     * @param waitpointId the token
     * @param data its result, any JSON
     * @return the waitpoint, completed
     * @throws ConflictException {@code waitpoint_already_completed} as said above
     * @throws NotFoundException if there is no such waitpoint in the scope
     */
    Waitpoint complete(String scope, String waitpointId, JsonNode data);

    /**
     * {@link #complete}, authorised by the secret of the token's callback URL instead of a key.
     * Over HTTP the answer carries only the waitpoint's id, kind, status, data and completion
     * time: the caller holds no key of the scope.
     *
     * @param secret the secret part of the callback URL
     * @param data its result, any JSON
     * @return the waitpoint, completed
     * @throws NotFoundException {@code waitpoint_not_found} for any unknown or malformed secret
     */
    Waitpoint completeByCallback(String secret, JsonNode data);

    /**
     * A waitpoint of any kind.
     *
     * @param scope the scope
     * @param waitpointId the waitpoint
     * @return it
     * @throws NotFoundException if there is no such waitpoint in the scope
     */
    Waitpoint get(String scope, String waitpointId);

    /**
     * The scope's waitpoints, newest first, as the filter selects.
     *
     * @param scope the scope
     * @param filter which ones and which page
     * @return one page
     */
    Page<Waitpoint> list(String scope, WaitpointFilter filter);
}
