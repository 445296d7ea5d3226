package io.runledger.core.internal.runs;

import io.runledger.api.InvalidInputException;
import io.runledger.api.RunLedgerException;
import io.runledger.api.ValidationReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the checks of a trigger send a refusal: a real trigger throws it at once (rolling
 * its transaction back); a dry run ({@code runs:validate}) collects it and goes on checking.
 * So the preflight and the trigger run the very same checks, and the preflight reports all
 * it finds.
 */
final class Refusals {
    private final boolean dryRun;
    private final List<ValidationReport.Problem> problems = new ArrayList<>();

    private Refusals(boolean dryRun) {
        this.dryRun = dryRun;
    }

    private static final Refusals THROWING = new Refusals(false);

    /** A real trigger: the first refusal is thrown (so nothing is ever collected). */
    static Refusals throwing() {
        return THROWING;
    }

    /** A dry run: refusals are collected. */
    static Refusals collecting() {
        return new Refusals(true);
    }

    /** A dry run must not write: the checks that write in a real trigger only read. */
    boolean dryRun() {
        return dryRun;
    }

    void refuse(RunLedgerException refusal) {
        if (!dryRun) {
            throw refusal;
        }
        if (refusal instanceof InvalidInputException invalid) {
            // one problem per schema finding, as the trigger's problem document lists them
            invalid.problems().forEach(p -> problems.add(new ValidationReport.Problem(invalid.code(), p)));
        } else {
            problems.add(new ValidationReport.Problem(refusal.code(), refusal.getMessage()));
        }
    }

    /** Runs a check that throws its refusal. */
    void check(Runnable check) {
        try {
            check.run();
        } catch (RunLedgerException refusal) {
            refuse(refusal);
        }
    }

    ValidationReport report() {
        return new ValidationReport(problems.isEmpty(), List.copyOf(problems));
    }
}
