package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake's connections send at once: an answer's body never waits for the head's acknowledgement. */
@Timeout(30)
class NoDelayServerSocketsTest {

    @Test
    void acceptedConnectionsHaveNoDelaySet() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), plain.getLocalPort());
             Socket accepted = plain.accept()) {
            assertTrue(client.isConnected());
            assertFalse(accepted.getTcpNoDelay(), "a plain server socket leaves Nagle's algorithm on (the default)");
        }
        try (ServerSocket server = new NoDelayServerSockets().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            assertTrue(client.isConnected());
            assertTrue(accepted.getTcpNoDelay());
        }
    }
}
