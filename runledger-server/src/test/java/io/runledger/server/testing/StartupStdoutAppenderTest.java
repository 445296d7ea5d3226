package io.runledger.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Log lines stay out of a command's output that a CLI test captures by swapping System.out. */
class StartupStdoutAppenderTest {

    @Test
    void aLogLineWrittenWhileSystemOutIsSwappedDoesNotLandInTheSwappedStream() throws Exception {
        var log = LoggerFactory.getLogger("io.runledger.core.test"); // logging started, as a server starts it
        PrintStream real = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Thread other = Thread.ofPlatform().start(() -> log.info("a line of the server's log"));
            other.join();
            System.out.print("{\"the\":\"command's output\"}");
        } finally {
            System.setOut(real);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("{\"the\":\"command's output\"}");
    }
}
