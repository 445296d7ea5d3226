/**
 * The PostgreSQL store: one store class per table group, each statement named in the
 * {@code .sql} file of its table, rows mapped to records here and nowhere else. The only
 * place that knows column names.
 */
package io.runledger.core.internal.store;
