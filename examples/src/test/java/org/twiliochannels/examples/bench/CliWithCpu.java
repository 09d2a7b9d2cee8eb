package org.twiliochannels.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.twiliochannels.examples.Cli;

/**
 * The command line as a user runs it ({@link Cli#main}), which also writes the CPU its whole process
 * used, in nanoseconds, to the file named by {@code -Dbench.cpuFile} when the JVM exits: start-up,
 * JIT compilers and GC included.
 */
public final class CliWithCpu {
    private CliWithCpu() {}

    public static void main(String[] args) {
        Path file = Path.of(System.getProperty("bench.cpuFile"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(file, Long.toString(BenchServer.processCpuNanos()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        Cli.main(args);
    }
}
