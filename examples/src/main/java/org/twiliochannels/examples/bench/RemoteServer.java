package org.twiliochannels.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchServer} in a child JVM started with the benchmark's own class path, driven over its
 * standard input and output, so that its CPU never counts against the client's process.
 */
final class RemoteServer implements AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final Writer out;
    private final URI baseUrl;

    /** What the server counted since the last {@link #reset()}, and its process CPU so far. */
    record Stats(long requests, long rateLimited, double arrivalRate, long connectionsUsed, long connectionsOpened,
            long serverCpuNanos) {}

    RemoteServer(long latencyMillis) throws IOException {
        this(latencyMillis, List.of("-Dsun.net.httpserver.maxIdleConnections=4096"));
    }

    /**
     * A server started with {@code serverProperties} besides {@code nodelay}: the JDK server's
     * {@code sun.net.httpserver.*} settings, e.g. how long it keeps an idle connection
     * ({@code idleInterval}, in seconds, checked every {@code clockTick} milliseconds) and how many
     * ({@code maxIdleConnections}: beyond it, a connection is closed right after its answer, without
     * saying so in the answer).
     */
    RemoteServer(long latencyMillis, List<String> serverProperties) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dsun.net.httpserver.nodelay=true"));
        command.addAll(serverProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServer.class.getName(),
                Long.toString(latencyMillis)));
        this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = in.readLine();
        if (first == null || !first.startsWith("port ")) {
            process.destroyForcibly();
            throw new IOException("the bench server did not start: " + first);
        }
        this.baseUrl = URI.create("http://127.0.0.1:" + Integer.parseInt(first.substring(5).strip()));
    }

    URI baseUrl() {
        return baseUrl;
    }

    void latency(long millis) {
        command("latency " + millis);
    }

    /** Answers 429 beyond {@code perSecond} requests per second (burst {@code burst}); {@code 0} turns it off. */
    void rateLimit(double perSecond, int burst) {
        command(String.format(Locale.ROOT, "rate %f %d", perSecond, burst));
    }

    void reset() {
        command("reset");
    }

    Stats stats() {
        String[] w = command("stats").split(" ");
        return new Stats(Long.parseLong(w[1]), Long.parseLong(w[2]), Double.parseDouble(w[3]), Long.parseLong(w[4]),
                Long.parseLong(w[5]), Long.parseLong(w[6]));
    }

    /**
     * The accepted message creations since the last {@link #reset()}: {@code [distinct recipients,
     * creations for a recipient accepted before]}. A run that sends each recipient once must show
     * {@code [n, 0]}.
     */
    long[] recipients() {
        String[] w = command("recipients").split(" ");
        return new long[] {Long.parseLong(w[1]), Long.parseLong(w[2])};
    }

    private synchronized String command(String line) {
        try {
            out.write(line + "\n");
            out.flush();
            String answer = in.readLine();
            if (answer == null || answer.startsWith("error")) {
                throw new IllegalStateException("bench server: " + line + " -> " + answer);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
