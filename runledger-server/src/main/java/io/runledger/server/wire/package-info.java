/**
 * The JSON the HTTP API writes, one record per shape ({@code RunView} is the run as every answer
 * shows it), and the annotations that say what a request field accepts. The server serializes
 * these records and the OpenAPI document's schemas are generated from the same records, so the
 * document cannot describe a field the server does not write.
 */
package io.runledger.server.wire;
