package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidInputException;
import io.runledger.api.PayloadTooLargeException;
import io.runledger.api.RemoteProblemException;
import io.runledger.client.internal.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shell command once per attempt, so a worker can be written in any language:
 * the run's input JSON goes to stdin; {@code RUNLEDGER_RUN_ID}, {@code RUNLEDGER_SCOPE},
 * {@code RUNLEDGER_SERVICE} and {@code RUNLEDGER_ATTEMPT} are in the environment. Each
 * stdout line becomes an {@code output.delta} event (its text ends with the newline), except a JSON object with a string
 * {@code type}, which becomes that event (its {@code data}, or the object itself). Exit 0
 * succeeds with the last JSON line as output (else all of stdout as a string); a non-zero
 * exit fails with the tail of stderr. A stop request sends SIGTERM to the process tree and
 * SIGKILL after the grace period. A line longer than one event holds is streamed as several
 * {@code output.delta} events; a typed line the server refuses (unknown type, data too
 * large) stops the command and fails the run without a retry (code {@code invalid_event}).
 */
public final class CommandHandler implements RunHandler {
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    private static final int MAX_STDOUT_KEPT = 1024 * 1024;
    private static final int STDERR_TAIL = 4096;
    /** Characters of one output.delta: at most 3 UTF-8 bytes each, well under the 64 KiB of an event. */
    static final int MAX_DELTA_CHARS = 16 * 1024;

    private final String command;
    private final Path workingDirectory;
    private final Duration stopGrace;

    public CommandHandler(String command, Path workingDirectory, Duration stopGrace) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
    }

    @Override
    public JsonNode handle(RunContext ctx, JsonNode input) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command));
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        Map<String, String> env = pb.environment();
        env.put("RUNLEDGER_RUN_ID", ctx.runId());
        env.put("RUNLEDGER_SCOPE", ctx.scope());
        env.put("RUNLEDGER_SERVICE", ctx.service());
        env.put("RUNLEDGER_ATTEMPT", Integer.toString(ctx.attempt()));
        Process process = pb.start();
        StdoutPump stdout = new StdoutPump(process.getInputStream(), ctx, () -> stop(process));
        StderrTail stderr = new StderrTail(process.getErrorStream());
        Thread out = Thread.ofVirtual().start(stdout);
        Thread err = Thread.ofVirtual().start(stderr);
        byte[] in = Wire.MAPPER.writeValueAsBytes(input == null ? Wire.MAPPER.nullNode() : input);
        // On its own thread: a command that does not read stdin blocks a write larger than the
        // pipe, and this thread must stay free to notice a stop.
        Thread.ofVirtual().start(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(in);
                stdin.write('\n');
            } catch (IOException e) {
                // the command does not read stdin: that is its business
            }
        });
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            stop(process);
            throw new InterruptedException("stopped: the command was terminated");
        }
        out.join();
        err.join();
        if (stdout.failure != null) {
            throw stdout.failure;
        }
        if (exit != 0) {
            String tail = stderr.tail().strip();
            throw new CommandFailedException(exit, tail.isEmpty() ? "command exited with status " + exit : tail);
        }
        return stdout.output();
    }

    private void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy(); // SIGTERM
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly(); // SIGKILL
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A non-zero exit; retryable, with the exit status in the error detail. */
    public static final class CommandFailedException extends Exception {
        private final int exitStatus;

        CommandFailedException(int exitStatus, String message) {
            super(message);
            this.exitStatus = exitStatus;
        }

        public int exitStatus() {
            return exitStatus;
        }
    }

    private static final class StdoutPump implements Runnable {
        private final InputStream in;
        private final RunContext ctx;
        private final Runnable stopCommand;
        private final StringBuilder all = new StringBuilder();
        private JsonNode lastJson;
        private volatile RuntimeException failure;

        StdoutPump(InputStream in, RunContext ctx, Runnable stopCommand) {
            this.in = in;
            this.ctx = ctx;
            this.stopCommand = stopCommand;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (failure == null) {
                        try {
                            handle(line);
                        } catch (RuntimeException e) {
                            // e.g. the lease was lost, or the server refused an event: the attempt
                            // is over, so the command is stopped; its remaining output is drained
                            // so that it never blocks on a full pipe meanwhile.
                            failure = refused(e) ? new NonRetryableException("invalid_event",
                                    "the server refused an event the command printed: " + e.getMessage(), e) : e;
                            Thread.ofVirtual().start(stopCommand);
                        }
                    }
                }
            } catch (IOException e) {
                // the process closed its stdout
            }
        }

        /** A refusal of the event itself (the command's fault), as opposed to an outage or a lost lease. */
        private static boolean refused(RuntimeException e) {
            return e instanceof InvalidArgumentException || e instanceof PayloadTooLargeException
                    || e instanceof InvalidInputException
                    || (e instanceof RemoteProblemException p && p.status() >= 400 && p.status() < 500);
        }

        private void handle(String line) {
            if (all.length() < MAX_STDOUT_KEPT) {
                all.append(line).append('\n');
            }
            JsonNode json = parse(line);
            if (json != null && json.isObject() && json.path("type").isTextual()) {
                JsonNode data = json.has("data") ? json.get("data") : withoutType((ObjectNode) json);
                ctx.emit(json.get("type").asText(), data);
                return;
            }
            if (json != null) {
                lastJson = json;
            }
            // The line keeps its newline, so the deltas joined are the command's stdout as it
            // printed it (a reader shows lines as lines, not run together).
            String text = line + "\n";
            int start = 0;
            do {
                int end = Math.min(text.length(), start + MAX_DELTA_CHARS);
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--; // never split a surrogate pair
                }
                ctx.emit("output.delta", Wire.MAPPER.createObjectNode().put("text", text.substring(start, end)));
                start = end;
            } while (start < text.length());
        }

        JsonNode output() {
            return lastJson != null ? lastJson : Wire.MAPPER.getNodeFactory().textNode(all.toString());
        }

        private static ObjectNode withoutType(ObjectNode json) {
            ObjectNode copy = json.deepCopy();
            copy.remove("type");
            return copy;
        }

        private static JsonNode parse(String line) {
            String t = line.strip();
            if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[' && t.charAt(0) != '"')) {
                return null;
            }
            try {
                return Wire.MAPPER.readTree(t);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static final class StderrTail implements Runnable {
        private final InputStream in;
        private final StringBuilder tail = new StringBuilder();

        StderrTail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (tail) {
                        tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (tail.length() > STDERR_TAIL * 2) {
                            tail.delete(0, tail.length() - STDERR_TAIL);
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        String tail() {
            synchronized (tail) {
                return tail.length() <= STDERR_TAIL ? tail.toString() : tail.substring(tail.length() - STDERR_TAIL);
            }
        }
    }
}
