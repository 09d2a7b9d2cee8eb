package org.twiliochannels.core.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A loopback TCP peer that misbehaves in one chosen way. */
public final class RawPeer implements AutoCloseable {
    public enum Behaviour { SILENT, READ_THEN_CLOSE, READ_THEN_SILENT }

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final List<Socket> open = new ArrayList<>();
    private final List<String> received = new ArrayList<>();
    private final Thread acceptor;
    private int accepted;

    private RawPeer(Behaviour behaviour) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        this.acceptor = new Thread(this::acceptLoop, "raw-peer");
        this.acceptor.setDaemon(true);
    }

    public static RawPeer start(Behaviour behaviour) throws IOException {
        RawPeer peer = new RawPeer(behaviour);
        peer.acceptor.start();
        return peer;
    }

    public URI http() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    public URI https() {
        return URI.create("https://127.0.0.1:" + socket.getLocalPort());
    }

    public synchronized int accepted() {
        return accepted;
    }

    public synchronized List<String> received() {
        return List.copyOf(received);
    }

    public synchronized void awaitRequest() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.isEmpty() && System.nanoTime() < end) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                synchronized (this) {
                    accepted++;
                    open.add(s);
                }
                if (behaviour != Behaviour.SILENT) {
                    String request = readRequest(s.getInputStream());
                    synchronized (this) {
                        received.add(request);
                        notifyAll();
                    }
                    if (behaviour == Behaviour.READ_THEN_CLOSE) {
                        s.close();
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads the head and a Content-Length body. */
    public static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (this) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
