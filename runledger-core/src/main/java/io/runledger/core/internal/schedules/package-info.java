/** Cron schedules: their definitions, fire times, and the pass that fires them. */
package io.runledger.core.internal.schedules;
