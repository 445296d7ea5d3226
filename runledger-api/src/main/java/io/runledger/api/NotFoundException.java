package io.runledger.api;

/** A scope, service or run that does not exist in the caller's scope. */
public final class NotFoundException extends RunLedgerException {
    private NotFoundException(String code, String message) {
        super(code, message);
    }

    public static NotFoundException scope(String scope) {
        return new NotFoundException("scope_not_found", "scope '" + scope + "' does not exist");
    }

    public static NotFoundException service(String scope, String service) {
        return new NotFoundException("service_not_found",
                "service '" + service + "' does not exist in scope '" + scope + "'");
    }

    public static NotFoundException run(String runId) {
        return new NotFoundException("run_not_found", "run '" + runId + "' does not exist");
    }

    /** Any other missing resource, with its own code (e.g. {@code batch_not_found}). */
    public static NotFoundException of(String code, String message) {
        return new NotFoundException(code, message);
    }
}
