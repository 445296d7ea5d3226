/**
 * Waiting: token waitpoints (created, completed by a call or a callback URL), suspends of a
 * leased run on waitpoints of any kind, and the resume that returns a run to the queue when
 * its waitpoints are done, on whichever instance learns it first.
 */
package io.runledger.core.internal.waitpoints;
