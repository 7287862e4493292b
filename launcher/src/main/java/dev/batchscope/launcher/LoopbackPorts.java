package dev.batchscope.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Ports on the loopback address, where every service of a local stack or a test binds. */
public final class LoopbackPorts {
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /** A port nothing listens on right now (for a service to take, or for a client to find closed). */
    public static int free() {
        return near(0, Set.of());
    }

    /** {@code preferred} if nothing listens there and it is not {@code taken}, otherwise any free port not taken. */
    public static int near(int preferred, Set<Integer> taken) {
        if (preferred > 0 && !taken.contains(preferred)) {
            try (ServerSocket socket = new ServerSocket(preferred, 1, InetAddress.getByName(HOST))) {
                return socket.getLocalPort();
            } catch (IOException busy) {
                // fall through to any free port
            }
        }
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                if (!taken.contains(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on " + HOST, e);
            }
        }
    }
}
