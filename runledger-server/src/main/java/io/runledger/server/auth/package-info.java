/**
 * Who is calling: the admin key (kept in a file, compared by hash) and scope keys
 * (verified by the engine on every request); a key of another scope sees 404, never 403.
 */
package io.runledger.server.auth;
