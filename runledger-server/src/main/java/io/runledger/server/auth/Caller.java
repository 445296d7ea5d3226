package io.runledger.server.auth;

/** Who made a request: the admin (every scope) or the holder of one scope's key. */
public record Caller(boolean admin, String scope) {
    public static final Caller ADMIN = new Caller(true, null);

    public static Caller ofScope(String scope) {
        return new Caller(false, scope);
    }

    public boolean mayActIn(String target) {
        return admin || scope.equals(target);
    }
}
