/**
 * The database: the embedded PostgreSQL (started from a Maven artifact, password
 * protected, loopback only), the connection pool and the migrations.
 */
package io.runledger.core.internal.db;
