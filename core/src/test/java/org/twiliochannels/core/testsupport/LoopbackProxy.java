package org.twiliochannels.core.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small forward proxy on loopback for tests: plain-http requests in absolute form are forwarded
 * to their loopback target; {@code CONNECT} tunnels go to one loopback address the test chooses,
 * whatever host was asked for (so a tunnel to {@code api.twilio.com:443} never leaves the machine).
 * Optionally requires Basic credentials (answering 407 without them). Every request head it
 * received is kept, with whether it carried the right credentials.
 */
public final class LoopbackProxy implements AutoCloseable {
    /** One request the proxy received. */
    public record Received(String requestLine, boolean authorized, String proxyAuthorization) {}

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final InetSocketAddress tunnelTo;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private LoopbackProxy(String user, String password, InetSocketAddress tunnelTo) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.expectedAuthorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.tunnelTo = tunnelTo;
        Thread acceptor = new Thread(this::accept, "loopback-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy without authentication; CONNECT tunnels go to {@code tunnelTo} (null: refused with 502). */
    public static LoopbackProxy start(InetSocketAddress tunnelTo) throws IOException {
        return new LoopbackProxy(null, null, tunnelTo);
    }

    /** A proxy that requires Basic credentials. */
    public static LoopbackProxy withBasicAuth(String user, String password, InetSocketAddress tunnelTo) throws IOException {
        return new LoopbackProxy(user, password, tunnelTo);
    }

    /** The proxy's port on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    /** Every request head received, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> serve(client), "loopback-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] lines = head.split("\r\n");
                String requestLine = lines[0];
                String auth = header(lines, "Proxy-Authorization");
                boolean authorized = expectedAuthorization == null || expectedAuthorization.equals(auth);
                received.add(new Received(requestLine, authorized, auth));
                int length = contentLength(lines);
                byte[] body = in.readNBytes(length);
                if (!authorized) {
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"loopback\""
                            + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    continue;
                }
                String[] parts = requestLine.split(" ");
                if (parts[0].equals("CONNECT")) {
                    tunnel(client, in, out);
                    return;
                }
                forward(parts, lines, body, out);
                return;
            }
        } catch (IOException e) {
            // the client or the target went away
        }
    }

    private void tunnel(Socket client, InputStream in, OutputStream out) throws IOException {
        if (tunnelTo == null) {
            out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return;
        }
        try (Socket target = new Socket(tunnelTo.getAddress(), tunnelTo.getPort())) {
            sockets.add(target);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread up = new Thread(() -> pipe(in, target), "loopback-proxy-up");
            up.setDaemon(true);
            up.start();
            pipe(target.getInputStream(), client);
        }
    }

    private static void pipe(InputStream from, Socket to) {
        byte[] buf = new byte[8192];
        try {
            OutputStream out = to.getOutputStream();
            for (int n; (n = from.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    /** Forwards an absolute-form request to its loopback target and relays the answer, then closes. */
    private void forward(String[] parts, String[] lines, byte[] body, OutputStream out) throws IOException {
        URI target = URI.create(parts[1]);
        if (!InetAddress.getByName(target.getHost()).isLoopbackAddress()) {
            out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        StringBuilder request = new StringBuilder(parts[0]).append(' ').append(target.getRawPath())
                .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery()).append(' ').append(parts[2])
                .append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).toLowerCase(Locale.ROOT);
            if (!name.startsWith("proxy-") && !name.equals("connection")) {
                request.append(lines[i]).append("\r\n");
            }
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket origin = new Socket(target.getHost(), target.getPort())) {
            OutputStream o = origin.getOutputStream();
            o.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            o.write(body);
            o.flush();
            InputStream answer = origin.getInputStream();
            String head = readHead(answer);
            if (head == null) {
                return;
            }
            String[] answerLines = head.split("\r\n");
            byte[] answerBody = answer.readNBytes(contentLength(answerLines));
            StringBuilder relayed = new StringBuilder();
            for (String line : answerLines) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    relayed.append(line).append("\r\n");
                }
            }
            relayed.append("Connection: close\r\n\r\n");
            out.write(relayed.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(answerBody);
            out.flush();
        }
    }

    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static int contentLength(String[] lines) {
        String v = header(lines, "Content-Length");
        return v == null ? 0 : Integer.parseInt(v);
    }

    /** The head up to the blank line, or null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    @Override
    public void close() throws IOException {
        server.close();
        List<Socket> all = new ArrayList<>(sockets);
        for (Socket s : all) {
            s.close();
        }
    }
}
