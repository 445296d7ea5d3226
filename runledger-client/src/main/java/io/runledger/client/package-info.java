/**
 * The Java HTTP client and worker SDK (built on the server's HTTP API; see issue 4).
 */
package io.runledger.client;
