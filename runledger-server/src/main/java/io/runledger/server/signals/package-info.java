/**
 * Routes of signals to a run, its outbound messages and their acknowledgement.
 */
package io.runledger.server.signals;
