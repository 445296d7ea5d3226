package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.ConcurrencyConflictException;
import io.runledger.api.ConflictException;
import io.runledger.api.IdempotencyKeyReusedException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidInputException;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NotFoundException;
import io.runledger.api.PayloadTooLargeException;
import io.runledger.api.RemoteProblemException;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunStatus;
import io.runledger.api.UnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an RFC 9457 problem document into the typed exception for its {@code code}. */
public final class Problems {
    private static final java.util.Set<String> STANDARD =
            java.util.Set.of("type", "title", "status", "detail", "instance", "code");

    private Problems() {
    }

    public static RunLedgerException toException(int status, JsonNode problem, String runId) {
        String code = problem.path("code").asText("http_" + status);
        String detail = problem.path("detail").asText(problem.path("title").asText("HTTP " + status));
        return switch (code) {
            case "invalid_argument" -> new InvalidArgumentException(detail);
            case "payload_too_large" -> new PayloadTooLargeException(detail);
            case "lease_lost" -> new LeaseLostException(runId);
            case "run_already_settled" -> new RunAlreadySettledException(runId, settledStatus(problem));
            case "concurrency_conflict" -> new ConcurrencyConflictException(
                    problem.path("concurrencyKey").asText("?"), problem.path("activeRunId").asText(null));
            case "idempotency_key_reused" -> new IdempotencyKeyReusedException(
                    problem.path("idempotencyKey").asText("?"), problem.path("runId").asText(null));
            case "invalid_input" -> {
                List<String> problems = new ArrayList<>();
                problem.path("problems").forEach(p -> problems.add(p.asText()));
                yield new InvalidInputException(problems.isEmpty() ? List.of(detail) : problems);
            }
            case "unavailable" -> new UnavailableException(detail, null);
            case "waitpoint_already_completed", "too_many_access_tokens", "delivery_pending" ->
                    new ConflictException(code, detail, extensions(problem));
            default -> code.endsWith("_not_found")
                    ? NotFoundException.of(code, detail)
                    : new RemoteProblemException(code, status, detail, extensions(problem));
        };
    }

    /** The settled run's status, from the problem's {@code runStatus} extension member. */
    private static RunStatus settledStatus(JsonNode problem) {
        JsonNode runStatus = problem.get("runStatus");
        if (runStatus != null && runStatus.isTextual()) {
            try {
                return RunStatus.fromWire(runStatus.asText());
            } catch (RuntimeException e) {
                // an unknown status from a newer server: report it as failed below
            }
        }
        return RunStatus.FAILED;
    }

    /** The problem's extension members; null ones are left out, since the exceptions keep them in {@code Map.copyOf}. */
    private static Map<String, Object> extensions(JsonNode problem) {
        Map<String, Object> out = new LinkedHashMap<>();
        problem.properties().forEach(e -> {
            if (!STANDARD.contains(e.getKey()) && !e.getValue().isNull()) {
                out.put(e.getKey(), Wire.MAPPER.convertValue(e.getValue(), Object.class));
            }
        });
        return out;
    }
}
