/**
 * Secret files (keys, passwords): created atomically with owner-only permissions and
 * refused when others may read them.
 */
package io.runledger.core.internal.secret;
