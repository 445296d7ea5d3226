package io.runledger.server.auth;

import io.runledger.api.RunAccessGrant;

/**
 * Who made a request: the admin (every scope), the holder of one scope's key, or the holder
 * of a run access token (one run of one scope, read only).
 *
 * @param keyId the scope key's public id, or {@link #ADMIN_KEY_ID} for the admin key; for a run
 *        access token, the key that issued it, so its held requests count against that key
 * @param token what the run access token grants, or null when the caller presented a key
 */
public record Caller(boolean admin, String scope, String keyId, RunAccessGrant token) {
    public static final String ADMIN_KEY_ID = "admin";
    /** The issuer of a token the application issued through the embedded engine. */
    public static final String APPLICATION_ID = "application";
    public static final Caller ADMIN = new Caller(true, null, ADMIN_KEY_ID, null);

    public static Caller ofScope(String scope, String keyId) {
        return new Caller(false, scope, keyId, null);
    }

    public static Caller ofRunToken(RunAccessGrant grant) {
        String issuer = grant.keyId() != null ? grant.keyId()
                : grant.adminKeyTag() != null ? ADMIN_KEY_ID : APPLICATION_ID;
        return new Caller(false, grant.scope(), issuer, grant);
    }

    public boolean mayActIn(String target) {
        return admin || scope.equals(target);
    }
}
