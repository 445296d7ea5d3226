package io.runledger.api;

/**
 * The answer to a thread create.
 *
 * @param thread the thread, as it is now
 * @param created true when this call created it, false when it existed
 */
public record ThreadCreated(AgentThread thread, boolean created) {
}
