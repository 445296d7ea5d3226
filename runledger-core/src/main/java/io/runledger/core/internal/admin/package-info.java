/**
 * Scopes, scope keys (only their hashes are stored; verified on every use) and services
 * with their defaults.
 */
package io.runledger.core.internal.admin;
