/**
 * Waitpoints over HTTP: token waitpoints (create, complete, read, list), the key-less callback
 * URL that completes a token by its secret, and the worker's suspend on waitpoints.
 */
package io.runledger.server.waitpoints;
