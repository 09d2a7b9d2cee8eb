package org.twiliochannels.core.internal.http;

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
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection: a blocking socket (plain, or TLS layered on it) on its own
 * {@link SocketChannel}, used by one exchange at a time. Reads go through its own buffer, each
 * with a socket timeout of the time left, so a silent peer is noticed when the time is up.
 */
final class Http1Connection implements AutoCloseable {
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Twilio's resources are a few KB; a page of a thousand messages about 1 MB. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    static final int MAX_INTERIM_ANSWERS = 8;

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
     * for answers to HEAD and CONNECT (a successful CONNECT's answer has no body). Strict where a
     * peer could confuse it: only {@code HTTP/1.0} and {@code HTTP/1.1}, header names that are
     * tokens, no control characters in a head, one framing (plain {@code chunked}, or agreeing
     * Content-Lengths of plain digits), at most {@link #MAX_INTERIM_ANSWERS} interim answers,
     * {@link #MAX_HEAD_BYTES} of head (interim answers included) and of trailers,
     * {@link #MAX_BODY_BYTES} of body. A success over TLS delimited only by the close is refused:
     * a cut body would look whole.
     */
    Http1Answer readAnswer(long readByNanos, boolean noBody) throws IOException {
        this.readBy = readByNanos;
        int headBytes = 0;
        for (int interim = 0; ; interim++) {
            String statusLine = line();
            headBytes = headBytes(headBytes + statusLine.length() + 2, "answer head");
            int status = status(statusLine);
            List<String[]> headers = new ArrayList<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                headBytes = headBytes(headBytes + line.length() + 2, "answer head");
                headers.add(field(line));
            }
            if (status == 101) {
                throw new IOException("the server switched protocols (101), which no request here asks for");
            }
            if (status < 200) {
                if (interim == MAX_INTERIM_ANSWERS) {
                    throw new IOException("more than " + MAX_INTERIM_ANSWERS + " interim (1xx) answers");
                }
                continue; // an interim answer; the final one follows
            }
            boolean keepAlive = statusLine.startsWith("HTTP/1.1") && !hasToken(headers, "connection", "close");
            if (noBody || status == 204 || status == 304) {
                return new Http1Answer(status, headers, new byte[0], keepAlive);
            }
            List<String> codings = values(headers, "transfer-encoding");
            List<String> lengths = values(headers, "content-length");
            if (!codings.isEmpty()) {
                if (codings.size() > 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
                    throw new IOException("the answer's Transfer-Encoding is not one plain chunked");
                }
                if (statusLine.startsWith("HTTP/1.0")) {
                    // RFC 9112 6.1: faulty framing, whatever else the answer says
                    throw new IOException("an HTTP/1.0 answer with a Transfer-Encoding");
                }
                // with a Content-Length as well, the message is framed by chunks and the connection is not reused
                return new Http1Answer(status, headers, chunked(), keepAlive && lengths.isEmpty());
            }
            if (!lengths.isEmpty()) {
                long n = contentLength(lengths.get(0));
                for (String other : lengths) {
                    if (contentLength(other) != n) {
                        throw new IOException("the answer has Content-Length headers that disagree");
                    }
                }
                if (n > MAX_BODY_BYTES) {
                    throw new IOException("answer body of " + n + " bytes is larger than " + MAX_BODY_BYTES);
                }
                return new Http1Answer(status, headers, exactly((int) n), keepAlive);
            }
            if (status < 300 && socket instanceof SSLSocket) {
                throw new IOException("a " + status + " answer over TLS with neither Content-Length nor chunked framing:"
                        + " a body cut short cannot be told from a whole one");
            }
            return new Http1Answer(status, headers, untilClosed(), false);
        }
    }

    private static int headBytes(int bytes, String what) throws IOException {
        if (bytes > MAX_HEAD_BYTES) {
            throw new IOException(what + " larger than " + MAX_HEAD_BYTES + " bytes");
        }
        return bytes;
    }

    /** Status line: {@code HTTP/1.0} or {@code HTTP/1.1}, one space, three digits from 100 to 599, the end or a space. */
    private static int status(String line) throws IOException {
        if (!(line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 ")) || line.length() < 12
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new IOException("not an HTTP/1.0 or HTTP/1.1 answer");
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

    /** A header line as name and value: the name an RFC 9110 token right before the colon, the value without surrounding spaces. */
    private static String[] field(String line) throws IOException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new IOException("a header line in the answer has no name and colon");
        }
        for (int i = 0; i < colon; i++) {
            if (!token(line.charAt(i))) {
                throw new IOException("a header name in the answer is not a token (character " + (i + 1) + ")");
            }
        }
        return new String[] {line.substring(0, colon), line.substring(colon + 1).trim()};
    }

    /** An RFC 9110 tchar. */
    private static boolean token(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A Content-Length value: 1 to 18 digits, nothing else. */
    private static long contentLength(String value) throws IOException {
        if (value.isEmpty() || value.length() > 18) {
            throw new IOException("unreadable Content-Length in the answer");
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new IOException("unreadable Content-Length in the answer");
            }
            n = n * 10 + (c - '0');
        }
        return n;
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
        ByteArrayBuilder body = new ByteArrayBuilder(1024);
        while (true) {
            int size = chunkSize(line(), MAX_BODY_BYTES - body.size());
            if (size == 0) {
                int trailerBytes = 0;
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    trailerBytes = headBytes(trailerBytes + trailer.length() + 2, "answer trailers");
                    field(trailer); // not used, but read as strictly as headers
                }
                return body.toByteArray();
            }
            read(body, size);
            if (!line().isEmpty()) {
                throw new IOException("malformed chunk in the answer");
            }
        }
    }

    /**
     * A chunk size line's size: hex digits, then nothing or an extension (optional spaces or tabs,
     * then {@code ;}, RFC 9112 7.1). No sign, no leading space. At most {@code room}.
     */
    private static int chunkSize(String line, int room) throws IOException {
        long size = 0;
        int i = 0;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                break;
            }
            size = size * 16 + digit;
            if (size > room) {
                throw new IOException("answer body larger than " + MAX_BODY_BYTES + " bytes");
            }
        }
        int digits = i;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (digits == 0 || i < line.length() && line.charAt(i) != ';' || i == line.length() && i > digits) {
            throw new IOException("unreadable chunk size in the answer");
        }
        return (int) size;
    }

    /** Exactly {@code n} body bytes; beyond the buffer's size, the array grows with what arrives rather than the announced length. */
    private byte[] exactly(int n) throws IOException {
        if (n <= buffer.length) {
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
        ByteArrayBuilder body = new ByteArrayBuilder(buffer.length);
        read(body, n);
        return body.toByteArray();
    }

    /** Appends the next {@code n} bytes of the answer to {@code body}, as they arrive. */
    private void read(ByteArrayBuilder body, int n) throws IOException {
        for (int left = n; left > 0; ) {
            if (position == limit) {
                fill();
            }
            int take = Math.min(left, limit - position);
            body.append(buffer, position, take);
            position += take;
            left -= take;
        }
    }

    private byte[] untilClosed() throws IOException {
        ByteArrayBuilder body = new ByteArrayBuilder(1024);
        while (true) {
            if (position == limit && !tryFill()) {
                return body.toByteArray();
            }
            if (body.size() + (long) (limit - position) > MAX_BODY_BYTES) {
                throw new IOException("answer body larger than " + MAX_BODY_BYTES + " bytes");
            }
            body.append(buffer, position, limit - position);
            position = limit;
        }
    }

    /**
     * One line without its CRLF (a bare LF is accepted, RFC 9112 2.2), ISO-8859-1 as HTTP heads
     * are. A control character other than a tab (a NUL, a CR not before the LF) is refused.
     */
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
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < ' ' && c != '\t' || c == 0x7f) {
                        throw new IOException("a control character (0x" + Integer.toHexString(c)
                                + ") in a line of the answer's head");
                    }
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
        private byte[] bytes;
        private int size;

        ByteArrayBuilder(int capacity) {
            bytes = new byte[capacity];
        }

        int size() {
            return size;
        }

        void append(byte[] b, int offset, int length) {
            if (size + length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(b, offset, bytes, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
        }
    }
}
