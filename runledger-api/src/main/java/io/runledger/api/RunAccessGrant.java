package io.runledger.api;

import java.time.Duration;

/**
 * What a presented run access token grants, for a server that authenticates requests with it.
 *
 * @param scope the run's scope
 * @param runId the one run the token may read
 * @param keyId the scope key that issued it, or null (the admin key, or the application itself
 *        through the embedded engine)
 * @param adminKeyTag when the admin key issued it, a fingerprint of that key (see
 *        {@link ApiKeys#adminKeyTag}); a server holding another admin key refuses the token
 * @param validFor how long it stays valid, by the database's clock; zero or negative when expired
 */
public record RunAccessGrant(String scope, String runId, String keyId, String adminKeyTag, Duration validFor) {
    /**
     * Whether the token has expired.
     *
     * @return true once its validity is over
     */
    public boolean expired() {
        return validFor.isZero() || validFor.isNegative();
    }
}
