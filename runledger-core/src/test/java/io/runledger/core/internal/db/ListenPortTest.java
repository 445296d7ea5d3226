package io.runledger.core.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL's port is free and outside the kernel's ephemeral range, where an
 * outgoing connection could take it between the choice and PostgreSQL's bind.
 */
class ListenPortTest {

    @Test
    void theEphemeralRangeIsTheKernels() throws Exception {
        // What the kernel says, read by another program than the JVM.
        Process cat = new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_local_port_range").start();
        String range = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(cat.waitFor()).isZero();
        assertThat(ListenPort.ephemeralLow()).isEqualTo(ListenPort.parseLow(range));
    }

    @Test
    void aChosenPortIsBelowTheEphemeralRangeAndFreeOnLoopback() throws Exception {
        int low = ListenPort.ephemeralLow();
        assertThat(low).as("this machine leaves room below its ephemeral range").isGreaterThan(ListenPort.LOWEST + 1);
        for (int i = 0; i < 20; i++) {
            int port = ListenPort.pick();
            assertThat(port).isBetween(ListenPort.LOWEST, low - 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void aPortSomethingListensOnIsPassedOver() throws Exception {
        List<ServerSocket> taken = new ArrayList<>();
        try {
            // The same seed draws the same candidates: occupy the first few, then pick again.
            for (int i = 0; i < 3; i++) {
                int port = ListenPort.pick(32768, new Random(7));
                ServerSocket socket = new ServerSocket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                taken.add(socket);
            }
            assertThat(taken).extracting(ServerSocket::getLocalPort).doesNotHaveDuplicates();
            assertThat(ListenPort.pick(32768, new Random(7)))
                    .isNotIn(taken.stream().map(ServerSocket::getLocalPort).toList());
        } finally {
            for (ServerSocket socket : taken) {
                socket.close();
            }
        }
    }

    @Test
    void theRangeFileIsReadAsTheKernelWritesIt() {
        assertThat(ListenPort.parseLow("32768\t60999\n")).isEqualTo(32768);
        assertThat(ListenPort.parseLow(" 1024 65535")).isEqualTo(1024);
        assertThatThrownBy(() -> ListenPort.parseLow("0 10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListenPort.parseLow("")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void aMachineWithNoRoomBelowItsEphemeralRangeStillGetsAFreePort() throws Exception {
        int port = ListenPort.pick(1024, new Random(1));
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }
}
