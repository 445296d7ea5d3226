package io.runledger.core.internal.store;

import io.runledger.api.BulkAction;

/** A bulk action as stored: the action and the last position processed so far. */
public record BulkActionRow(BulkAction action, int doneThrough) {
}
