/**
 * Routes of a scope's webhooks and their deliveries.
 */
package io.runledger.server.webhooks;
