/**
 * Routes of the worker's side: lease (long-poll), heartbeat, append, complete, fail, and
 * the list of workers.
 */
package io.runledger.server.workers;
