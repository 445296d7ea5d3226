/**
 * Input JSON Schemas of services: checked at registration, never fetched from the network
 * or the disk, and applied to every trigger.
 */
package io.runledger.core.internal.schema;
