package io.runledger.server.auth;

/**
 * Who made a request: the admin (every scope) or the holder of one scope's key.
 *
 * @param keyId the scope key's public id, or {@link #ADMIN_KEY_ID} for the admin key
 */
public record Caller(boolean admin, String scope, String keyId) {
    public static final String ADMIN_KEY_ID = "admin";
    public static final Caller ADMIN = new Caller(true, null, ADMIN_KEY_ID);

    public static Caller ofScope(String scope, String keyId) {
        return new Caller(false, scope, keyId);
    }

    public boolean mayActIn(String target) {
        return admin || scope.equals(target);
    }
}
