package org.twiliochannels.core.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures everything written to {@code System.out} and {@code System.err} (where slf4j-simple
 * logs) while a block runs, still passing it through.
 */
public final class CapturedOutput {
    /** A block that may throw. */
    @FunctionalInterface
    public interface Block {
        /** Runs. */
        void run() throws Exception;
    }

    private CapturedOutput() {}

    /** Runs {@code block} and returns what it printed and logged; exceptions thrown are printed too. */
    public static synchronized String of(Block block) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream teeOut = new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8);
        PrintStream teeErr = new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8);
        System.setOut(teeOut);
        System.setErr(teeErr);
        try {
            block.run();
        } catch (Exception e) {
            e.printStackTrace(teeErr);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
