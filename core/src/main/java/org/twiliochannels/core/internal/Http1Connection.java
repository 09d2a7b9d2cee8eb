package org.twiliochannels.core.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection: a blocking socket (plain, or TLS layered on it) on its own
 * {@link SocketChannel}, used by one exchange at a time. Reads go through its own buffer, each
 * with a socket timeout of the time left, so a silent peer is noticed when the time is up.
 */
final class Http1Connection implements AutoCloseable {
    static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final SocketChannel channel;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    /** One byte, for the check before reuse. */
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private int position;
    private int limit;
    private long readBy;
    private long idleSince;
    private volatile boolean expired;

    Http1Connection(SocketChannel channel) {
        this.channel = channel;
        this.socket = channel.socket();
    }

    SocketChannel channel() {
        return channel;
    }

    /** Switches to {@code layered} (a TLS socket over this connection's socket) for every later read and write. */
    void use(Socket layered) throws IOException {
        this.socket = layered;
        this.in = layered.getInputStream();
        this.out = layered.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    /** Plain streams of the channel's socket, once it is connected. */
    void usePlain() throws IOException {
        use(channel.socket());
    }

    /** True when the deadline watch closed this connection. */
    boolean expired() {
        return expired;
    }

    /** Called by the deadline watch: closes the connection under the exchange that outlived its deadline. */
    void expire() {
        expired = true;
        close();
    }

    void markIdle(long nowNanos) {
        idleSince = nowNanos;
    }

    long idleSince() {
        return idleSince;
    }

    /**
     * True when the connection can carry another request: still open, and the peer has neither
     * closed it nor sent anything since the last answer (an idle HTTP/1.1 connection with bytes
     * waiting is out of step). Looks without blocking; a false answer may have consumed a byte,
     * so the connection must then be closed.
     */
    boolean reusable() {
        // A TLS socket hands over at most one record (16 KiB of plaintext) per read, which this buffer
        // takes whole. Records it may have read ahead are not seen here; between answers a server
        // sends none but alerts, and one closing the connection ends the stream, which is seen.
        if (!channel.isOpen() || position != limit) {
            return false;
        }
        try {
            channel.configureBlocking(false);
            probe.clear();
            int n = channel.read(probe);
            channel.configureBlocking(true);
            return n == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void write(byte[] head, byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            out.write(head);
        } else {
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            out.write(all);
        }
        out.flush();
    }

    /**
     * Reads one answer, skipping interim (1xx) answers, by {@code readByNanos}. {@code noBody}
     * for answers to HEAD and CONNECT (a successful CONNECT's answer has no body).
     */
    Http1Answer readAnswer(long readByNanos, boolean noBody) throws IOException {
        this.readBy = readByNanos;
        while (true) {
            String statusLine = line();
            int status = status(statusLine);
            List<String[]> headers = new ArrayList<>();
            int headBytes = statusLine.length();
            for (String line = line(); !line.isEmpty(); line = line()) {
                headBytes += line.length() + 2;
                if (headBytes > MAX_HEAD_BYTES) {
                    throw new IOException("answer head larger than " + MAX_HEAD_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                        || line.charAt(colon - 1) == ' ' || line.charAt(colon - 1) == '\t') {
                    throw new IOException("malformed header line in the answer");
                }
                headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).trim()});
            }
            if (status == 101) {
                throw new IOException("the server switched protocols (101), which no request here asks for");
            }
            if (status < 200) {
                continue; // an interim answer; the final one follows
            }
            boolean keepAlive = statusLine.startsWith("HTTP/1.1") && !hasToken(headers, "connection", "close");
            if (noBody || status == 204 || status == 304) {
                return new Http1Answer(status, headers, new byte[0], keepAlive);
            }
            String codings = Http1Answer.header(headers, "transfer-encoding");
            List<String> lengths = values(headers, "content-length");
            if (codings != null) {
                if (!codings.trim().equalsIgnoreCase("chunked")) {
                    throw new IOException("the answer's Transfer-Encoding is not plain chunked");
                }
                // with a Content-Length as well, the message is framed by chunks and the connection is not reused
                return new Http1Answer(status, headers, chunked(), keepAlive && lengths.isEmpty());
            }
            if (!lengths.isEmpty()) {
                if (lengths.stream().map(String::trim).distinct().count() > 1) {
                    throw new IOException("the answer has Content-Length headers that disagree");
                }
                long n;
                try {
                    n = Long.parseLong(lengths.get(0).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("unreadable Content-Length in the answer");
                }
                if (n < 0 || n > MAX_BODY_BYTES) {
                    throw new IOException("answer body of " + n + " bytes is out of range");
                }
                return new Http1Answer(status, headers, exactly((int) n), keepAlive);
            }
            return new Http1Answer(status, headers, untilClosed(), false);
        }
    }

    private static int status(String line) throws IOException {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' '
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new IOException("not an HTTP/1.x answer");
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new IOException("unreadable status in the answer");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100 || status > 599) {
            throw new IOException("status " + status + " is out of range");
        }
        return status;
    }

    private static List<String> values(List<String[]> headers, String name) {
        List<String> values = new ArrayList<>(1);
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    private static boolean hasToken(List<String[]> headers, String name, String token) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                for (String t : h[1].split(",")) {
                    if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private byte[] chunked() throws IOException {
        ByteArrayBuilder body = new ByteArrayBuilder();
        while (true) {
            String sizeLine = line();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("unreadable chunk size in the answer");
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
                throw new IOException("answer body out of range");
            }
            if (size == 0) {
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used
                }
                return body.toByteArray();
            }
            body.append(exactly(size));
            if (!line().isEmpty()) {
                throw new IOException("malformed chunk in the answer");
            }
        }
    }

    private byte[] exactly(int n) throws IOException {
        if (n > buffer.length * 64) {
            // a large announced length: grow with what arrives rather than trusting it up front
            ByteArrayBuilder body = new ByteArrayBuilder();
            while (body.size() < n) {
                if (position == limit) {
                    fill();
                }
                int take = Math.min(n - body.size(), limit - position);
                body.append(buffer, position, take);
                position += take;
            }
            return body.toByteArray();
        }
        byte[] body = new byte[n];
        int done = 0;
        while (done < n) {
            if (position == limit) {
                fill();
            }
            int take = Math.min(n - done, limit - position);
            System.arraycopy(buffer, position, body, done, take);
            position += take;
            done += take;
        }
        return body;
    }

    private byte[] untilClosed() throws IOException {
        ByteArrayBuilder body = new ByteArrayBuilder();
        while (true) {
            if (position == limit && !tryFill()) {
                return body.toByteArray();
            }
            if (body.size() + (long) (limit - position) > MAX_BODY_BYTES) {
                throw new IOException("answer body out of range");
            }
            body.append(buffer, position, limit - position);
            position = limit;
        }
    }

    /** One line without its CRLF (a bare LF is accepted), ISO-8859-1 as HTTP heads are. */
    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        while (true) {
            if (position == limit) {
                fill();
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int end = s.length();
                if (end > 0 && s.charAt(end - 1) == '\r') {
                    s.setLength(end - 1);
                }
                return s.toString();
            }
            if (s.length() >= MAX_HEAD_BYTES) {
                throw new IOException("answer line longer than " + MAX_HEAD_BYTES + " bytes");
            }
            s.append((char) (b & 0xff));
        }
    }

    private void fill() throws IOException {
        if (!tryFill()) {
            throw new EOFException("the connection was closed before the answer was complete");
        }
    }

    private boolean tryFill() throws IOException {
        socket.setSoTimeout(millisLeft(readBy));
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /**
     * Closes the channel under the connection (and with it a TLS socket layered on it) without a
     * TLS close message: nothing here may block, since the deadline watch and {@code close()}
     * call this while another thread may be reading.
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException | RuntimeException ignored) {
            // closing: nothing left to do with it
        }
    }

    /** Milliseconds until {@code byNanos} (a {@link System#nanoTime()} value), at least 1, as a socket timeout. */
    static int millisLeft(long byNanos) throws SocketTimeoutException {
        long left = byNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("time is up");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    /** A growable byte array. */
    private static final class ByteArrayBuilder {
        private byte[] bytes = new byte[1024];
        private int size;

        int size() {
            return size;
        }

        void append(byte[] b) {
            append(b, 0, b.length);
        }

        void append(byte[] b, int offset, int length) {
            if (size + length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(b, offset, bytes, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }
}
