/**
 * Routes of batches of runs registered in one transaction.
 */
package io.runledger.server.batches;
