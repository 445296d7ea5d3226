/**
 * Routes of the caller's side of runs: trigger, validate, list, get, wait, events (and
 * their JSONL export), cancel and the projection rebuild.
 */
package io.runledger.server.runs;
