package io.runledger.server.workers;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.Failure;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RunError;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.Required;
import java.util.List;

/** The request bodies of the worker endpoints, as the HTTP API defines them. */
public final class WorkerBodies {
    private WorkerBodies() {
    }

    public record LeaseBody(
            @Required String workerId,
            @Required @Range(min = 1, max = 100) List<String> services,
            @JsonPropertyDescription("how many runs to lease at most (default 1)")
            @Range(min = 1, max = LeaseRequest.MAX_BATCH) Integer max,
            @JsonPropertyDescription("how long to wait for a run when none is queued (default 0)")
            @Range(min = 0, max = 60) Long waitSeconds,
            @JsonPropertyDescription("shown in the worker list") String version,
            @JsonPropertyDescription("shown in the worker list") JsonNode capabilities) {
    }

    public record TokenBody(@Required String leaseToken) {
    }

    public record EventBody(
            @Required @JsonPropertyDescription("progress, output.delta, log, step.started, step.completed or"
                    + " custom.<name>") String type,
            @JsonPropertyDescription("at most 64 KiB") JsonNode data) {
        EventDraft draft() {
            return new EventDraft(type, data == null ? null : data);
        }
    }

    public record AppendBody(@Required String leaseToken,
                             @Required @Range(min = 1, max = Limits.MAX_EVENTS_PER_APPEND) List<EventBody> events) {
        List<EventDraft> drafts() {
            if (events == null) {
                throw new InvalidArgumentException("events is required");
            }
            return events.stream().map(e -> e == null ? null : e.draft()).toList();
        }
    }

    public record CompleteBody(@Required String leaseToken, JsonNode output) {
    }

    public record ErrorBody(@Required String code, @Required String message, JsonNode detail) {
        RunError toError() {
            if (code == null || message == null) {
                throw new InvalidArgumentException("error needs a code and a message");
            }
            return new RunError(code, message, detail == null || detail.isNull() ? null : detail);
        }
    }

    public record FailBody(
            @Required String leaseToken,
            @Required ErrorBody error,
            @JsonPropertyDescription("retry while attempts remain (default false)") Boolean retryable,
            @JsonPropertyDescription("overrides the retry policy's delay once") Double retryAfterSeconds) {
    }

    public record CompleteItem(@Required String runId, @Required String leaseToken, JsonNode output) {
    }

    public record CompleteItems(@Required @Range(min = 1, max = 1000) List<CompleteItem> items) {
        List<Completion> completions() {
            return required(items).stream()
                    .map(i -> i == null ? null : new Completion(i.runId(), i.leaseToken(), i.output())).toList();
        }
    }

    public record FailItem(@Required String runId, @Required String leaseToken, @Required ErrorBody error,
                           Boolean retryable, Double retryAfterSeconds) {
    }

    public record FailItems(@Required @Range(min = 1, max = 1000) List<FailItem> items) {
        List<Failure> failures() {
            return required(items).stream().map(i -> i == null ? null : new Failure(i.runId(), i.leaseToken(),
                    i.error() == null ? null : i.error().toError(), i.retryable() != null && i.retryable(),
                    i.retryAfterSeconds())).toList();
        }
    }

    public record LeaseItem(@Required String runId, @Required String leaseToken) {
    }

    public record LeaseItems(@Required @Range(min = 1, max = 1000) List<LeaseItem> items) {
        List<LeaseRef> leases() {
            return required(items).stream().map(i -> i == null ? null : new LeaseRef(i.runId(), i.leaseToken())).toList();
        }
    }

    /** A batched call's items; the engine checks their number (1..1000) and that none is null. */
    private static <T> List<T> required(List<T> items) {
        if (items == null) {
            throw new InvalidArgumentException("items is required");
        }
        return items;
    }
}
