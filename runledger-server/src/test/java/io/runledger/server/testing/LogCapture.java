package io.runledger.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what the in-process server logs at WARN and above, for tests that must log no error. */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every captured line at {@code level} or above, formatted with its logger and any exception. */
    public List<String> atLeast(Level level) {
        synchronized (appender) { // AppenderBase.doAppend holds the same lock
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " : " + e.getThrowableProxy().getClassName()
                                    + ": " + e.getThrowableProxy().getMessage()))
                    .toList();
        }
    }

    public List<String> errors() {
        return atLeast(Level.ERROR);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
