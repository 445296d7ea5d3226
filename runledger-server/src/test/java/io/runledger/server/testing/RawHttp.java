package io.runledger.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends (a broken chunked
 * body, a body shorter than its Content-Length, raw bytes in the request line).
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** One parsed answer; {@code json} is null unless the body is JSON. */
    public record Answer(int status, String head, String body, JsonNode json) implements ProblemAnswer {
        @Override
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return head + "\r\n\r\n" + body;
        }
    }

    /** Opens a socket to the server of {@code baseUrl}. */
    public static Socket connect(String baseUrl) {
        URI uri = URI.create(baseUrl);
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code request} as is (ISO-8859-1 bytes), optionally half-closes the socket so
     * the server sees the end of the input, then reads one answer.
     */
    public static Answer exchange(String baseUrl, String request, boolean halfClose) {
        return exchange(baseUrl, request.getBytes(StandardCharsets.ISO_8859_1), halfClose);
    }

    public static Answer exchange(String baseUrl, byte[] request, boolean halfClose) {
        try (Socket socket = connect(baseUrl)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer: the head, then a Content-Length or chunked body, or up to the end of the input. */
    public static Answer read(InputStream in) throws IOException {
        String head = readHead(in);
        int space = head.indexOf(' ');
        int status = Integer.parseInt(head.substring(space + 1, space + 4));
        Answer headOnly = new Answer(status, head, "", null);
        byte[] body;
        String length = headOnly.header("Content-Length");
        String encoding = headOnly.header("Transfer-Encoding");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked(in);
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = readToEnd(in);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode json = null;
        String type = headOnly.contentType();
        if (type != null && type.contains("json") && !text.isBlank()) {
            json = Http.JSON.readTree(text);
        }
        return new Answer(status, head, text, json);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection before a full answer head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(in);
            int size = Integer.parseInt(line.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                body.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // an answer without a length on a kept-alive connection: what came is all there is
        }
        return body.toByteArray();
    }

    /** True when the server has closed the connection (a read sees the end of the input). */
    public static boolean closedByServer(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
