package dev.batchscope.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class LoopbackPortsTest {

    @Test
    void thePreferredPortWhenNothingListensThereAnotherWhenSomethingDoes() throws IOException {
        int free = LoopbackPorts.free();
        assertEquals(free, LoopbackPorts.near(free, Set.of()));
        try (ServerSocket busy = new ServerSocket(free, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
            assertNotEquals(free, LoopbackPorts.near(free, Set.of()), "a port something listens on is never given");
        }
    }

    @Test
    void aPortTakenByAnotherServiceOfTheStackIsNotGivenAgain() {
        int free = LoopbackPorts.free();
        assertNotEquals(free, LoopbackPorts.near(free, Set.of(free)));
    }
}
