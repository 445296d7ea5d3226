/**
 * Webhooks: endpoints and their event filters, the outbox of deliveries written with the
 * events, and the dispatcher that signs, sends and retries them under an address policy
 * that keeps requests off private networks.
 */
package io.runledger.core.internal.webhooks;
