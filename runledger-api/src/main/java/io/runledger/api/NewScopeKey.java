package io.runledger.api;

/**
 * A scope key just created: the key itself, shown this once, and what is kept of it.
 *
 * @param key the secret key, shown this once
 * @param info its id, name and times, as listings show it
 */
public record NewScopeKey(String key, ScopeKey info) {
}
