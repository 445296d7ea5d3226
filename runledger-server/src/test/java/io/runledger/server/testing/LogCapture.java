package io.runledger.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records every log line of this JVM (all loggers, every level, with stack traces) while
 * open, so a test can assert what reached the log: no ERROR, no request body, no secret.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previousLevel;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every captured line as text: level, logger, message and any stack trace. */
    public List<String> lines() {
        synchronized (appender) /* AppenderBase.doAppend holds this lock */ {
            return appender.list.stream().map(LogCapture::render).toList();
        }
    }

    public List<String> atLeast(Level level) {
        synchronized (appender) /* AppenderBase.doAppend holds this lock */ {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .map(LogCapture::render).toList();
        }
    }

    public List<String> errors() {
        return atLeast(Level.ERROR);
    }

    public String all() {
        return String.join("\n", lines());
    }

    private static String render(ILoggingEvent e) {
        String text = e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage();
        return e.getThrowableProxy() == null ? text : text + "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previousLevel);
        appender.stop();
    }
}
