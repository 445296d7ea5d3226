/** Cron schedules of a scope: the routes that create, read and delete them. */
package io.runledger.server.schedules;
