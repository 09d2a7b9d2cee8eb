package org.twiliochannels.core.bulk;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.twiliochannels.core.TwilioRejectedException;

/**
 * A CSV file of bulk outcomes ({@code recipient,outcome,sid,code}), one line per item, appended as
 * the run goes; read it back with {@link #doneRecipients(Path)} to resume a run without re-sending.
 */
public final class OutcomeLog implements Consumer<BulkOutcome<?>>, AutoCloseable {
    /** The header line. */
    public static final String HEADER = "recipient,outcome,sid,code";

    private final BufferedWriter out;

    private OutcomeLog(BufferedWriter out) {
        this.out = out;
    }

    /** Opens {@code file} for appending, writing the header if the file is new. */
    public static OutcomeLog append(Path file) {
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                w.write(HEADER);
                w.newLine();
            }
            return new OutcomeLog(w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outcome log " + file, e);
        }
    }

    /**
     * The recipients that {@code file} records as accepted or unknown: pass them to
     * {@link BulkSender.Builder#alreadyDone} so that they are not sent again. An absent file means none.
     */
    public static Set<String> doneRecipients(Path file) {
        Set<String> done = new HashSet<>();
        if (!Files.exists(file)) {
            return done;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",", -1);
                if (f.length >= 2 && (f[1].equals("ACCEPTED") || f[1].equals("UNKNOWN") || f[1].equals("SKIPPED"))) {
                    done.add(f[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outcome log " + file, e);
        }
        return done;
    }

    @Override
    public synchronized void accept(BulkOutcome<?> o) {
        String code = o.failure().filter(TwilioRejectedException.class::isInstance)
                .map(e -> ((TwilioRejectedException) e).error().code())
                .filter(c -> c.isPresent()).map(c -> Integer.toString(c.getAsInt())).orElse("");
        try {
            out.write(o.recipient().orElse("") + "," + o.kind() + "," + o.receipt().map(r -> r.sid().value()).orElse("")
                    + "," + code);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outcome log", e);
        }
    }

    /** Flushes and closes the file. */
    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the outcome log", e);
        }
    }
}
