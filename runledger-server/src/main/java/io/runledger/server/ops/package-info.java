/**
 * Operations: health and readiness, and the OpenAPI document of the API.
 */
package io.runledger.server.ops;
