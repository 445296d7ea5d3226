package io.runledger.core.internal.split;

import io.runledger.api.Ledger;
import io.runledger.api.NotFoundException;
import io.runledger.core.internal.kernel.RunIds;
import java.util.function.Function;

/**
 * The two stores behind a split ledger and where an id lives: ids minted on the runs
 * database carry its mark ({@link RunIds#resident}); every other id is read from the main
 * database, where it was created.
 */
record Stores(Ledger main, Ledger runs) {

    /** The store an id lives in. */
    Ledger of(String id) {
        return RunIds.resident(id) ? runs : main;
    }

    /**
     * Looks a client-chosen name (a thread id) up in the runs store, then in the main one:
     * names carry no mark, so the first store that knows it answers.
     */
    <T> T either(Function<Ledger, T> call) {
        try {
            return call.apply(runs);
        } catch (NotFoundException e) {
            return call.apply(main);
        }
    }
}
