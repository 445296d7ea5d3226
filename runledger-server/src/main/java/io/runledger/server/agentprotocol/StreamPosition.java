package io.runledger.server.agentprotocol;

import io.runledger.api.InvalidArgumentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a stream resumes. A part's SSE id is its event's seq, so a resume is lossless on any
 * instance; when one event gives several parts (a run's output and the end of its stream),
 * those before the last are {@code <seq>:<index>}, so a connection that dropped between them
 * resumes with the rest of that event.
 *
 * @param seq every event up to this seq was delivered (or {@code seq + 1}'s parts up to
 *        {@code part}, when {@code part >= 0})
 * @param part the index of the last part of event {@code seq + 1} delivered, or -1
 */
record StreamPosition(long seq, int part) {
    static final StreamPosition START = new StreamPosition(0, -1);
    private static final Pattern ID = Pattern.compile("(\\d{1,18})(?::(\\d{1,3}))?");

    /** The position after the part with this SSE id; null or blank is the start. */
    static StreamPosition after(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return START;
        }
        Matcher m = ID.matcher(lastEventId.strip());
        if (!m.matches()) {
            throw new InvalidArgumentException("Last-Event-ID must be an id this stream sent (a seq, or seq:part)");
        }
        long seq = Long.parseLong(m.group(1));
        if (m.group(2) == null) {
            return new StreamPosition(seq, -1);
        }
        if (seq < 1) {
            throw new InvalidArgumentException("Last-Event-ID must be an id this stream sent (a seq, or seq:part)");
        }
        return new StreamPosition(seq - 1, Integer.parseInt(m.group(2)));
    }

    /** The SSE id of part {@code index} of {@code count} parts of event {@code seq}. */
    static String id(long seq, int index, int count) {
        return index == count - 1 ? Long.toString(seq) : seq + ":" + index;
    }
}
