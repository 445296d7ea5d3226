package io.runledger.core.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Chooses the loopback port the embedded PostgreSQL will listen on. The port is chosen before
 * initdb runs and PostgreSQL binds it seconds later; a port from the kernel's ephemeral range
 * (what {@code new ServerSocket(0)} returns) can be taken in between by any outgoing
 * connection of this machine, and PostgreSQL then fails to start. So the port comes from
 * below that range, where the kernel never puts an outgoing connection, and is checked free.
 * Two processes choosing at the same moment can still meet, but only one in thousands of times.
 */
public final class ListenPort {
    /** Where Linux keeps the ephemeral range, e.g. {@code "32768\t60999"}. */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default, for when the file cannot be read. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    /** Below this sit well-known services (PostgreSQL's 5432, 8080 and the like). */
    static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 100;
    private static final RandomGenerator RANDOM = new SecureRandom();

    private ListenPort() {
    }

    /**
     * A port on 127.0.0.1 that nothing listens on now and no outgoing connection will take
     * (tests that start a server on a port of their choosing use it too).
     */
    public static int pick() throws IOException {
        return pick(ephemeralLow(), RANDOM);
    }

    static int pick(int ephemeralLow, RandomGenerator random) throws IOException {
        if (ephemeralLow <= LOWEST + 1) {
            // A machine whose ephemeral range starts this low leaves no room outside it.
            return anyFreePort();
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = random.nextInt(LOWEST, ephemeralLow);
            if (isFree(port)) {
                return port;
            }
        }
        return anyFreePort();
    }

    /** The first port of the kernel's ephemeral range, as {@code ip_local_port_range} gives it. */
    static int ephemeralLow() {
        try (InputStream in = Files.newInputStream(EPHEMERAL_RANGE)) {
            // One read with room to spare: a sysctl file hands over all it has at once and
            // nothing at a later offset, so Files.readString (which reads a byte, then the
            // rest) gets "3" out of "32768\t60999".
            byte[] buffer = new byte[64];
            int n = in.read(buffer);
            return parseLow(new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    static int parseLow(String range) {
        String[] parts = range.trim().split("\\s+");
        int low = Integer.parseInt(parts[0]);
        if (low < 1 || low > 65535) {
            throw new IllegalArgumentException("not a port: " + low);
        }
        return low;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
