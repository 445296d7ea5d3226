/**
 * The client's transport (HTTP with retries and the server's clock offset), the JSON of
 * every record, and the mapping of problem documents back to the api's typed failures.
 */
package io.runledger.client.internal;
