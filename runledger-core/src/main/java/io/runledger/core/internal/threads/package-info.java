/** Threads: conversations of runs sharing one concurrency key, their state derived from those runs. */
package io.runledger.core.internal.threads;
