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
     * Looks a name that carries no mark (a callback secret, a delivery id) up in the runs
     * store, then in the main one: the first store that knows it answers.
     */
    <T> T either(Function<Ledger, T> call) {
        return either(runs, main, call);
    }

    /** The same over any pair of a store's parts: {@code onRuns} first, then {@code onMain}. */
    static <S, T> T either(S onRuns, S onMain, Function<S, T> call) {
        try {
            return call.apply(onRuns);
        } catch (NotFoundException e) {
            return call.apply(onMain);
        }
    }
}
