package io.runledger.api;

/** A scope key just created: the key itself, shown this once, and what is kept of it. */
public record NewScopeKey(String key, ScopeKey info) {
}
