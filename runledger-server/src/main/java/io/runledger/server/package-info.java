/**
 * The standalone server: HTTP API v1, SSE streams, auth and the CLI (see issue 3).
 */
package io.runledger.server;
