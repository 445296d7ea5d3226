package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.WaitResult;
import io.runledger.client.internal.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a command replays from, as files: {@code RUNLEDGER_STEPS_FILE} holds the recorded
 * steps ({@code {"step": output}}), {@code RUNLEDGER_RESUMED_FILE} the results of the
 * suspends that completed ({@code {"step": [{waitpointId, kind, status, data}]}}). Files, not
 * environment variables, because outputs may be far larger than an environment holds. They
 * are deleted when the command has ended.
 */
final class ReplayFiles implements AutoCloseable {
    private final Path steps;
    private final Path resumed;

    private ReplayFiles(Path steps, Path resumed) {
        this.steps = steps;
        this.resumed = resumed;
    }

    static ReplayFiles write(Map<String, JsonNode> recordedSteps, Map<String, List<WaitResult>> results)
            throws IOException {
        ObjectNode stepsJson = Wire.MAPPER.createObjectNode();
        recordedSteps.forEach(stepsJson::set);
        ObjectNode resumedJson = Wire.MAPPER.createObjectNode();
        results.forEach((step, list) -> {
            ArrayNode array = resumedJson.putArray(step);
            list.forEach(r -> array.add(Wire.waitResultJson(r)));
        });
        Path stepsFile = Files.createTempFile("runledger-steps-", ".json");
        Path resumedFile = null;
        try {
            Wire.MAPPER.writeValue(stepsFile.toFile(), stepsJson);
            resumedFile = Files.createTempFile("runledger-resumed-", ".json");
            Wire.MAPPER.writeValue(resumedFile.toFile(), resumedJson);
            return new ReplayFiles(stepsFile, resumedFile);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stepsFile);
            if (resumedFile != null) {
                Files.deleteIfExists(resumedFile);
            }
            throw e;
        }
    }

    Path steps() {
        return steps;
    }

    Path resumed() {
        return resumed;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(steps);
            Files.deleteIfExists(resumed);
        } catch (IOException e) {
            // a temp file left behind is the OS's to clean; never a reason to fail the run
        }
    }
}
