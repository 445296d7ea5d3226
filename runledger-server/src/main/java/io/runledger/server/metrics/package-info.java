/**
 * Prometheus metrics of the server and the engine, and who may read them.
 */
package io.runledger.server.metrics;
