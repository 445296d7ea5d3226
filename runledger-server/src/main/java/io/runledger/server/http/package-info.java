/**
 * What every route shares: paths, JSON bodies and views, parameters, problem documents
 * (one exhaustive mapping of failures to HTTP), bounds on held requests, and the deadlines
 * that protect the server from slow or malformed clients.
 */
package io.runledger.server.http;
