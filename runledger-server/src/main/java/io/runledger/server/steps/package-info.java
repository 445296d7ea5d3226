/** Durable steps over HTTP: record a step once per run, page through a run's steps. */
package io.runledger.server.steps;
