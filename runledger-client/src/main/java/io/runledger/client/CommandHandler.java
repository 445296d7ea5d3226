package io.runledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.client.internal.Wire;
import java.io.IOException;
import java.io.InputStream;
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
 *
 * <p>Durable execution, for a command run by a {@link Worker}: {@code RUNLEDGER_STEPS_FILE}
 * and {@code RUNLEDGER_RESUMED_FILE} name JSON files with the run's recorded steps and the
 * results of its completed suspends (see {@link ReplayFiles}). A line
 * {@code {"type":"step.completed","data":{"step","output"}}} records a step (once per run);
 * {@code {"type":"suspend","data":{"step","waitpoints",...}}} suspends the run (the body of
 * {@code POST /runs/{runId}/suspend} without the token), after which the command should exit:
 * it is given the stop grace, then killed, and is run again when the run resumes, with the
 * results in the resumed file. A suspend whose waitpoints are all complete already runs the
 * command again at once, under the same lease; one for a step the resumed file holds is
 * ignored (the command is replaying). When the worker talks to a server,
 * {@code RUNLEDGER_URL} and {@code RUNLEDGER_KEY} let the command call it too (e.g. to create
 * a token waitpoint with idempotency key {@code $RUNLEDGER_RUN_ID/<name>}).
 */
public final class CommandHandler implements RunHandler {
    /** How long a stopped command gets between SIGTERM and SIGKILL unless told otherwise. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    static final int MAX_STDOUT_KEPT = 1024 * 1024;
    private static final int STDERR_TAIL = 4096;
    /** Characters of one output.delta: at most 3 UTF-8 bytes each, well under the 64 KiB of an event. */
    static final int MAX_DELTA_CHARS = 16 * 1024;

    private final String command;
    private final Path workingDirectory;
    private final Duration stopGrace;

    /**
     * A handler that runs {@code command} with {@code /bin/sh -c} once per attempt.
     *
     * @param command the shell command
     * @param workingDirectory where it runs; null: the worker's directory
     * @param stopGrace time between SIGTERM and SIGKILL on a stop
     */
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
        RunExecution execution = ctx instanceof RunExecution e ? e : null;
        while (true) {
            if (execution == null) {
                return runCommand(ctx, null, input, null).output();
            }
            // Each execution of the command sees what the run recorded up to then.
            Durable durable = execution.durable();
            try (ReplayFiles files = ReplayFiles.write(durable.steps(), durable.resumed())) {
                Ended ended = runCommand(ctx, execution, input, files);
                if (!ended.again()) {
                    return ended.output();
                }
            }
        }
    }

    /** How one execution of the command ended: its output, or {@code again} (a suspend found its waitpoints complete). */
    private record Ended(JsonNode output, boolean again) {
    }

    private Ended runCommand(RunContext ctx, RunExecution execution, JsonNode input, ReplayFiles files)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command));
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        Map<String, String> env = pb.environment();
        env.put("RUNLEDGER_RUN_ID", ctx.runId());
        env.put("RUNLEDGER_SCOPE", ctx.scope());
        env.put("RUNLEDGER_SERVICE", ctx.service());
        env.put("RUNLEDGER_ATTEMPT", Integer.toString(ctx.attempt()));
        if (files != null) {
            env.put("RUNLEDGER_STEPS_FILE", files.steps().toString());
            env.put("RUNLEDGER_RESUMED_FILE", files.resumed().toString());
        }
        if (execution != null && execution.worker().ledger() instanceof RunLedgerClient client) {
            env.put("RUNLEDGER_URL", client.url().toString());
            if (client.key() != null) {
                env.put("RUNLEDGER_KEY", client.key());
            }
        }
        Process process = pb.start();
        Durable durable = execution == null ? null : execution.durable();
        CommandOutput stdout = new CommandOutput(process.getInputStream(), ctx, durable, () -> stop(process),
                () -> end(process));
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
        if (stdout.suspended() != null) {
            throw stdout.suspended(); // the lease is over: unwind, nothing to report
        }
        if (stdout.failure() != null) {
            throw stdout.failure();
        }
        if (stdout.again()) {
            return new Ended(null, true);
        }
        if (exit != 0) {
            String tail = stderr.tail().strip();
            throw new CommandFailedException(exit, tail.isEmpty() ? "command exited with status " + exit : tail);
        }
        return new Ended(stdout.output(), false);
    }

    /** After a suspend the command should exit by itself; it has the stop grace to do so, then it is killed. */
    private void end(Process process) {
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
        /** The command's exit status. */
        private final int exitStatus;

        CommandFailedException(int exitStatus, String message) {
            super(message);
            this.exitStatus = exitStatus;
        }

        /** {@return the command's exit status} */
        public int exitStatus() {
            return exitStatus;
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
