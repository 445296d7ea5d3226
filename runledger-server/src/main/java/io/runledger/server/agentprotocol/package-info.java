/**
 * The Agent Protocol (what LangGraph Platform serves and {@code @langchain/langgraph-sdk}
 * speaks) under {@code /v1/scopes/{scope}/ap}, as a layer over the engine: assistants are
 * services, threads are conversations whose runs share a concurrency key, run streams are the
 * ledger's SSE mapped to the protocol's parts, and interrupts are token waitpoints.
 */
package io.runledger.server.agentprotocol;
