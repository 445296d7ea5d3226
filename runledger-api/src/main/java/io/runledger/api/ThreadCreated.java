package io.runledger.api;

/** The answer to a thread create: the thread, and whether this call created it. */
public record ThreadCreated(AgentThread thread, boolean created) {
}
