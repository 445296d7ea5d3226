package io.runledger.server.testing;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.FilterOutputStream;
import java.io.IOException;

/**
 * The tests' console appender: it writes to the standard output the JVM had when logging
 * started, not to whatever {@code System.out} is at the moment. Logback's own console
 * appender follows {@code System.setOut}, so while a CLI test captures a command's output,
 * a log line of the in-process server (another thread, answering that very command) would
 * land in the captured output and break its JSON.
 */
public final class StartupStdoutAppender<E> extends OutputStreamAppender<E> {
    @Override
    public void start() {
        setOutputStream(new FilterOutputStream(System.out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the JVM's stdout stays open
            }
        });
        super.start();
    }
}
