/** Bulk actions over HTTP: create (cancel or replay the runs a filter matches), read, list, cancel. */
package io.runledger.server.bulk;
