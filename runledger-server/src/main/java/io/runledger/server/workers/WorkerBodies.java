package io.runledger.server.workers;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.Failure;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.LeaseRef;
import io.runledger.api.RunError;
import java.util.List;

/** The request bodies of the worker endpoints, as the HTTP API defines them. */
final class WorkerBodies {
    private WorkerBodies() {
    }

    record LeaseBody(String workerId, List<String> services, Integer max, Long waitSeconds, String version,
                     JsonNode capabilities) {
    }

    record TokenBody(String leaseToken) {
    }

    record EventBody(String type, JsonNode data) {
        EventDraft draft() {
            return new EventDraft(type, data == null ? null : data);
        }
    }

    record AppendBody(String leaseToken, List<EventBody> events) {
        List<EventDraft> drafts() {
            if (events == null) {
                throw new InvalidArgumentException("events is required");
            }
            return events.stream().map(e -> e == null ? null : e.draft()).toList();
        }
    }

    record CompleteBody(String leaseToken, JsonNode output) {
    }

    record ErrorBody(String code, String message, JsonNode detail) {
        RunError toError() {
            if (code == null || message == null) {
                throw new InvalidArgumentException("error needs a code and a message");
            }
            return new RunError(code, message, detail == null || detail.isNull() ? null : detail);
        }
    }

    record FailBody(String leaseToken, ErrorBody error, Boolean retryable, Double retryAfterSeconds) {
    }

    record CompleteItem(String runId, String leaseToken, JsonNode output) {
    }

    record CompleteItems(List<CompleteItem> items) {
        List<Completion> completions() {
            return required(items).stream()
                    .map(i -> i == null ? null : new Completion(i.runId(), i.leaseToken(), i.output())).toList();
        }
    }

    record FailItem(String runId, String leaseToken, ErrorBody error, Boolean retryable, Double retryAfterSeconds) {
    }

    record FailItems(List<FailItem> items) {
        List<Failure> failures() {
            return required(items).stream().map(i -> i == null ? null : new Failure(i.runId(), i.leaseToken(),
                    i.error() == null ? null : i.error().toError(), i.retryable() != null && i.retryable(),
                    i.retryAfterSeconds())).toList();
        }
    }

    record LeaseItem(String runId, String leaseToken) {
    }

    record LeaseItems(List<LeaseItem> items) {
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
