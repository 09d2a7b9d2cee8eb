package org.twiliochannels.core.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twiliochannels.core.testsupport.RawPeer;

/**
 * The same raw answers, from a loopback socket, through OkHttp's HTTP/1.1 parser and through
 * {@link Http1Client}: wherever OkHttp refuses an answer, so does ours. Each row also says what ours
 * does; where ours refuses an answer OkHttp accepts, the row gives the reason.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http1ClientDifferentialTest {
    private static final long TIME = TimeUnit.SECONDS.toNanos(10);
    private static OkHttpClient okHttp;
    private static Http1Client ours;

    @BeforeAll
    static void clients() {
        okHttp = new OkHttpClient.Builder().retryOnConnectionFailure(false).followRedirects(false)
                .callTimeout(Duration.ofSeconds(10)).build();
        ours = new Http1Client(Optional.empty(), null, TIME, null);
    }

    @AfterAll
    static void close() {
        ours.close();
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
    }

    enum Ours { ACCEPTS, REFUSES }

    private static final String OK = "HTTP/1.1 200 OK\r\n";
    private static final String CHUNKED = OK + "Transfer-Encoding: chunked\r\n\r\n";

    /** Name, raw answer, what our client does, and why when it refuses what OkHttp accepts. */
    static Stream<Arguments> answers() {
        List<Arguments> rows = new ArrayList<>();
        // well-formed answers, read by both
        accepts(rows, "plain Content-Length", OK + "Content-Length: 2\r\n\r\n{}");
        accepts(rows, "chunked with an extension", CHUNKED + "2;name=value\r\n{}\r\nA\r\n0123456789\r\n0\r\n\r\n");
        accepts(rows, "chunked, space before the extension (BWS)", CHUNKED + "2 ;x\r\n{}\r\n0\r\n\r\n");
        accepts(rows, "chunked with trailers", CHUNKED + "2\r\n{}\r\n0\r\nX-Trailer: a\r\n\r\n");
        accepts(rows, "Transfer-Encoding in another case", OK + "Transfer-Encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        accepts(rows, "chunked and a Content-Length: the chunks frame it", OK
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        accepts(rows, "HTTP/1.0, until close", "HTTP/1.0 200 OK\r\n\r\n{}");
        accepts(rows, "no reason phrase", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\n{}");
        accepts(rows, "bare LF line ends (RFC 9112 2.2 allows)", "HTTP/1.1 200 OK\nContent-Length: 2\n\n{}");
        accepts(rows, "Content-Length twice, agreeing", OK + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
        accepts(rows, "one 100 Continue first", "HTTP/1.1 100 Continue\r\n\r\n" + OK + "Content-Length: 2\r\n\r\n{}");
        accepts(rows, "a 103 Early Hints first", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + OK
                + "Content-Length: 2\r\n\r\n{}");
        accepts(rows, "obs-text in a value", OK + "X-Note: caf\u00e9\r\nContent-Length: 2\r\n\r\n{}");
        accepts(rows, "tab in a value", OK + "X-Note: a\tb\r\nContent-Length: 2\r\n\r\n{}");
        accepts(rows, "status 599", "HTTP/1.1 599 Odd\r\nContent-Length: 2\r\n\r\n{}");

        // refused by both (OkHttp's result is checked by the test, not assumed)
        refuses(rows, "nothing at all", "", null);
        refuses(rows, "not HTTP", "HELLO\r\n\r\n", null);
        refuses(rows, "body shorter than Content-Length", OK + "Content-Length: 20\r\n\r\n{}", null);
        refuses(rows, "chunked without the last chunk", CHUNKED + "2\r\n{}\r\n", null);
        refuses(rows, "chunk data not followed by CRLF", CHUNKED + "2\r\n{}XX0\r\n\r\n", null);
        refuses(rows, "Content-Length twice, the last one too long", OK + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                null);
        refuses(rows, "chunk size with a sign (+)", CHUNKED + "+2\r\n{}\r\n0\r\n\r\n", null);
        refuses(rows, "chunk size with a sign (-)", CHUNKED + "-2\r\n{}\r\n0\r\n\r\n", null);
        refuses(rows, "chunk size with a leading space", CHUNKED + " 2\r\n{}\r\n0\r\n\r\n", null);
        refuses(rows, "chunk size 0x2", CHUNKED + "0x2\r\n{}\r\n0\r\n\r\n", null);
        refuses(rows, "chunk size empty", CHUNKED + "\r\n{}\r\n0\r\n\r\n", null);
        refuses(rows, "chunk size with a NUL", CHUNKED + "2\u0000\r\n{}\r\n0\r\n\r\n", null);
        refuses(rows, "chunk size beyond 64 bits", CHUNKED + "1ffffffffffffffff\r\n{}\r\n0\r\n\r\n", null);
        refuses(rows, "status line HTTP/1.2", "HTTP/1.2 200 OK\r\nContent-Length: 2\r\n\r\n{}", null);
        refuses(rows, "status line HTTP/2", "HTTP/2 200 OK\r\nContent-Length: 2\r\n\r\n{}", null);
        refuses(rows, "status line in lower case", "http/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", null);
        refuses(rows, "status 99", "HTTP/1.1 99 OK\r\nContent-Length: 2\r\n\r\n{}", null);
        refuses(rows, "status with four digits", "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}", null);
        refuses(rows, "status with a letter", "HTTP/1.1 20x OK\r\nContent-Length: 2\r\n\r\n{}", null);
        refuses(rows, "two spaces before the status", "HTTP/1.1  200 OK\r\nContent-Length: 2\r\n\r\n{}", null);
        refuses(rows, "a header over 256 KiB", OK + "X-Big: " + "a".repeat(300 * 1024) + "\r\nContent-Length: 2\r\n\r\n{}",
                null);
        refuses(rows, "trailers over 256 KiB", CHUNKED + "2\r\n{}\r\n0\r\nX-Big: " + "a".repeat(300 * 1024) + "\r\n\r\n", null);

        // refused by ours where OkHttp may accept: each with the reason
        refuses(rows, "chunk size with a trailing space and no extension", CHUNKED + "2 \r\n{}\r\n0\r\n\r\n",
                "RFC 9112 7.1 allows whitespace only before a chunk extension");
        refuses(rows, "chunk size with a control character", CHUNKED + "2\u000b\r\n{}\r\n0\r\n\r\n",
                "a chunk size is hex digits; a control character there is a framing attack or a broken peer");
        refuses(rows, "Transfer-Encoding twice", OK + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n", "a repeated Transfer-Encoding means a coding list we do not decode");
        refuses(rows, "Transfer-Encoding chunked, chunked", OK + "Transfer-Encoding: chunked, chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n", "a coding list: the body would need decoding twice");
        refuses(rows, "Transfer-Encoding gzip, chunked", OK + "Transfer-Encoding: gzip, chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n", "a coding we do not decode: the body would be read as something it is not");
        refuses(rows, "Transfer-Encoding gzip alone", OK + "Transfer-Encoding: gzip\r\n\r\n{}",
                "RFC 9112 6.3: a final coding other than chunked leaves the length unknown; OkHttp reads to the close");
        refuses(rows, "Transfer-Encoding identity", OK + "Transfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}",
                "identity was removed from HTTP (RFC 7230); a peer sending it frames differently from us");
        refuses(rows, "Transfer-Encoding in an HTTP/1.0 answer", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n", "RFC 9112 6.1: an HTTP/1.0 message with a Transfer-Encoding has faulty framing");
        refuses(rows, "status line ICY (SHOUTcast)", "ICY 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                "only HTTP/1.0 and HTTP/1.1 answers are read; Twilio never speaks ICY");
        refuses(rows, "status 600", "HTTP/1.1 600 OK\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9110 15: status codes are 100 to 599");
        refuses(rows, "status 101 to a plain request", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
                "no request asked to switch protocols");
        refuses(rows, "a NUL in the reason phrase", "HTTP/1.1 200 O\u0000K\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9112 4: the reason phrase is SP, HTAB, VCHAR and obs-text");
        refuses(rows, "Content-Length with a sign", OK + "Content-Length: +2\r\n\r\n{}",
                "RFC 9110 8.6: Content-Length is 1*DIGIT");
        refuses(rows, "Content-Length negative", OK + "Content-Length: -1\r\n\r\n{}",
                "RFC 9110 8.6: Content-Length is 1*DIGIT; OkHttp reads a negative one as unknown, to the close");
        refuses(rows, "Content-Length not a number", OK + "Content-Length: abc\r\n\r\n{}",
                "RFC 9110 8.6; OkHttp reads an unreadable one as unknown, to the close");
        refuses(rows, "Content-Length as a list", OK + "Content-Length: 2, 2\r\n\r\n{}",
                "RFC 9110 8.6 lets a recipient refuse a list; plain digits only");
        refuses(rows, "Content-Length beyond 64 bits", OK + "Content-Length: 99999999999999999999\r\n\r\n{}",
                "not a length any answer has");
        refuses(rows, "Content-Length twice, the last one right", OK + "Content-Length: 3\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9112 6.3: disagreeing lengths are unrecoverable framing; OkHttp takes the last one");
        refuses(rows, "header name with a space", OK + "Bad Name: x\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9110 5.1: a field name is a token");
        refuses(rows, "header name with braces", OK + "Bad{Name}: x\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9110 5.1: a field name is a token");
        refuses(rows, "header name with a NUL", OK + "X\u0000Y: z\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9110 5.1: a field name is a token");
        refuses(rows, "empty header name", OK + ": nothing\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9110 5.1: a field name is a token of at least one character");
        refuses(rows, "header line without a colon", OK + "NoColon\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9112 5: a field line is name, colon, value");
        refuses(rows, "space before the colon", OK + "Content-Length : 2\r\n\r\n{}",
                "RFC 9112 5.1: a server must refuse it, and a proxy must remove it; a client should not guess");
        refuses(rows, "obs-fold", OK + "X-Note: one\r\n two\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9112 5.2: obsolete line folding; refusing is allowed and nothing here needs it");
        refuses(rows, "a NUL in a header value", OK + "X-Note: a\u0000b\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9110 5.5: NUL, CR and LF in a value must be refused or replaced");
        refuses(rows, "a bare CR in a header value", OK + "X-Note: a\rb\r\nContent-Length: 2\r\n\r\n{}",
                "RFC 9112 2.2: a bare CR must be refused or replaced");
        refuses(rows, "a header over 64 KiB", OK + "X-Big: " + "a".repeat(100 * 1024) + "\r\nContent-Length: 2\r\n\r\n{}",
                "our answer heads are capped at 64 KiB (Twilio's are under 2 KiB); OkHttp's at 256 KiB");
        refuses(rows, "20 interim answers", "HTTP/1.1 100 Continue\r\n\r\n".repeat(20) + OK + "Content-Length: 2\r\n\r\n{}",
                "a few interim answers are read; a stream of them is a peer holding the request open");
        refuses(rows, "a body over the cap", OK + "Content-Length: " + (9 << 20) + "\r\n\r\n" + "x".repeat(9 << 20),
                "answer bodies are capped at 8 MiB (Twilio's resources are a few KB)");
        return rows.stream();
    }

    private static void accepts(List<Arguments> rows, String name, String raw) {
        rows.add(Arguments.of(name, raw, Ours.ACCEPTS, null));
    }

    private static void refuses(List<Arguments> rows, String name, String raw, String whyWhenOkHttpAccepts) {
        rows.add(Arguments.of(name, raw, Ours.REFUSES, whyWhenOkHttpAccepts));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void whereOkHttpRefusesAnAnswerSoDoesOurs(String name, String raw, Ours expected, String why) throws Exception {
        byte[] answer = raw.getBytes(StandardCharsets.ISO_8859_1);
        String okHttpRefusal = okHttp(answer);
        String ourRefusal = ours(answer);
        if (okHttpRefusal != null) {
            assertTrue(ourRefusal != null, name + ": OkHttp refuses it (" + okHttpRefusal + "), ours accepted it");
        }
        assertEquals(expected, ourRefusal == null ? Ours.ACCEPTS : Ours.REFUSES, name + ": " + ourRefusal);
        if (expected == Ours.REFUSES) {
            // the table's reasons are exactly the cases where ours is stricter than OkHttp
            assertEquals(okHttpRefusal == null, why != null, name + ": OkHttp's result is "
                    + (okHttpRefusal == null ? "acceptance, and the table gives no reason" : okHttpRefusal
                    + ", and the table gives a reason for refusing what OkHttp accepts"));
        }
        if (expected == Ours.ACCEPTS) {
            assertEquals(null, okHttpRefusal, name + ": a well-formed answer OkHttp refuses");
        }
    }

    /** Null when OkHttp read the whole answer, else what it threw. */
    private static String okHttp(byte[] answer) throws IOException {
        try (OnePeer peer = new OnePeer(answer)) {
            okhttp3.Request request = new okhttp3.Request.Builder().url(peer.uri().toString())
                    .post(RequestBody.create("To=x", MediaType.get("application/x-www-form-urlencoded"))).build();
            try (okhttp3.Response response = okHttp.newCall(request).execute()) {
                response.body().bytes();
                return null;
            } catch (IOException | RuntimeException e) {
                return Http1Client.describe(e);
            }
        }
    }

    /** Null when our client read the whole answer, else the failure; a refusal after the request was written is "may have been sent". */
    private static String ours(byte[] answer) throws IOException {
        try (OnePeer peer = new OnePeer(answer)) {
            Http1Client.Request request = new Http1Client.Request("POST", peer.uri(),
                    List.<String[]>of(new String[] {"Content-Type", "application/x-www-form-urlencoded"}),
                    "To=x".getBytes(StandardCharsets.UTF_8), "POST " + peer.uri());
            try {
                ours.exchange(request, System.nanoTime() + TIME, TIME);
                return null;
            } catch (IoFailure e) {
                assertTrue(e.mayHaveReachedTwilio(), "written, then refused: " + e.getMessage());
                assertTrue(e.getMessage().startsWith("no answer to POST"), e.getMessage());
                return e.getMessage();
            }
        }
    }

    /** Accepts one connection, reads one request, writes the raw answer and closes. */
    private static final class OnePeer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        OnePeer(byte[] answer) throws IOException {
            Thread t = new Thread(() -> {
                try (Socket s = socket.accept(); OutputStream out = s.getOutputStream()) {
                    RawPeer.readRequest(s.getInputStream());
                    out.write(answer);
                    out.flush();
                } catch (IOException e) {
                    // the client stopped reading
                }
            }, "differential-peer");
            t.setDaemon(true);
            t.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/x");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
