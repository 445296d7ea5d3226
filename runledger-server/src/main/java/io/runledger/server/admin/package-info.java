/**
 * Routes of scopes and their keys (admin key only) and of services.
 */
package io.runledger.server.admin;
