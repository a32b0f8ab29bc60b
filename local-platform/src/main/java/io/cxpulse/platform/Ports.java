package io.cxpulse.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Port helpers for servers that bind to the loopback interface. */
public final class Ports {
    /** The address every local-platform server binds to by default. */
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /** A port that is free on the loopback interface at the time of the call. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LOOPBACK, e);
        }
    }

    /**
     * {@code count} different ports, each free on the loopback interface at the time of the call. Calling
     * {@link #free()} again may give the port it gave before, as nothing holds it in between; these are held
     * together until all are chosen.
     */
    public static int[] free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No " + count + " free ports on " + LOOPBACK, e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // it was never used
                }
            }
        }
    }

    /** A port {@code p} such that {@code p} to {@code p + count - 1} are all free at the time of the call. */
    public static int freeRun(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = free();
            if (first + count - 1 <= 65_535 && IntStream.range(1, count).allMatch(i -> isFree(first + i))) {
                return first;
            }
        }
        throw new IllegalStateException("No " + count + " consecutive free ports on " + LOOPBACK);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code port} itself, or a free port when it is 0. */
    public static int orFree(int port) {
        return port == 0 ? free() : port;
    }

    /** Fails with a message naming {@code what} unless {@code port} is in 1..65535. */
    public static void requireValid(String what, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be between 1 and 65535, was " + port);
        }
    }
}
