/**
 * Durable steps: a step's output is recorded once per run, whatever the attempt, so a handler
 * executed again (a retry, a recovery, a resume) replays it instead of doing it again.
 */
package io.runledger.core.internal.steps;
