package io.runledger.server.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook target on 127.0.0.1 that reads the request, answers {@code 200} with a
 * 1,000-byte body at once, and then trickles that body at one byte every 2 s, counting the
 * exchanges that started, are open and were cut off by the client.
 */
final class SlowReceiver implements AutoCloseable {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final AtomicInteger cutOff = new AtomicInteger();
    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

    SlowReceiver() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        connections.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/slow";
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            int length = contentLength(in);
            in.readNBytes(length);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            started.incrementAndGet();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            ScheduledFuture<?> trickle = ticker.scheduleAtFixedRate(() -> {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException e) {
                    // the client went away; the read below notices
                }
            }, 2, 2, TimeUnit.SECONDS);
            try {
                // The client sends nothing more: the read ends only when it closes the connection.
                if (in.read() < 0) {
                    cutOff.incrementAndGet();
                }
            } finally {
                trickle.cancel(false);
                open.decrementAndGet();
            }
        } catch (IOException e) {
            // a reset connection is a client going away too
            cutOff.incrementAndGet();
        }
    }

    /** Reads the request head and returns its Content-Length. */
    private static int contentLength(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        ticker.shutdownNow();
        connections.shutdownNow();
    }
}
