/**
 * Observe, the operator's web console, served as static files.
 */
package io.runledger.server.ui;
