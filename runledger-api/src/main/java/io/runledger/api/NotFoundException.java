package io.runledger.api;

/** A scope, service or run that does not exist in the caller's scope. */
public final class NotFoundException extends RunLedgerException {
    private NotFoundException(String code, String message) {
        super(code, message);
    }

    /**
     * A scope that does not exist.
     *
     * @param scope its name
     * @return the exception, with code {@code scope_not_found}
     */
    public static NotFoundException scope(String scope) {
        return new NotFoundException("scope_not_found", "scope '" + scope + "' does not exist");
    }

    /**
     * A service that does not exist in the scope.
     *
     * @param scope the scope
     * @param service the service
     * @return the exception, with code {@code service_not_found}
     */
    public static NotFoundException service(String scope, String service) {
        return new NotFoundException("service_not_found",
                "service '" + service + "' does not exist in scope '" + scope + "'");
    }

    /**
     * A run that does not exist (or not in the caller's scope).
     *
     * @param runId the run
     * @return the exception, with code {@code run_not_found}
     */
    public static NotFoundException run(String runId) {
        return new NotFoundException("run_not_found", "run '" + runId + "' does not exist");
    }

    /**
     * Any other missing resource, with its own code (e.g. {@code batch_not_found}).
     *
     * @param code the code
     * @param message what is missing
     * @return the exception
     */
    public static NotFoundException of(String code, String message) {
        return new NotFoundException(code, message);
    }
}
