package org.twiliochannels.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.bulk.BulkSender;
import org.twiliochannels.core.bulk.BulkSummary;
import org.twiliochannels.core.bulk.OutcomeLog;
import org.twiliochannels.core.bulk.SenderRate;
import org.twiliochannels.testing.FakeTwilio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code send-bulk}: one message per row of a CSV file, paced, with progress and a resumable outcome log. */
@Command(name = "send-bulk", mixinStandardHelpOptions = true, description = "Send one message per row of a CSV file (a phone/to column, other"
        + " columns usable as {placeholders} in --body), paced at the sender's rate.")
final class SendBulk implements Callable<Integer> {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_ ]+)}");

    @ParentCommand
    Cli cli;

    @Parameters(index = "0", description = "The channel: sms or whatsapp.")
    String channel;

    @Option(names = "--file", required = true, description = "CSV file; first line names the columns.")
    Path file;

    @Option(names = "--body", required = true, description = "The text; {column} is replaced by the row's value.")
    String body;

    @Option(names = "--rate", description = "Segments per second the sender drains (default by sender type).")
    Double rate;

    @Option(names = "--concurrency", defaultValue = "16", description = "Requests in flight at most (default 16).")
    int concurrency;

    @Option(names = "--outcomes", description = "CSV log of outcomes; an existing log resumes the run: rows it"
            + " records as accepted or unknown are skipped.")
    Path outcomes;

    @Mixin
    EnvFileOption envFile;

    @Option(names = "--dry-run", description = "Only read the file and print the projection; send nothing.")
    boolean dryRun;

    @Option(names = "--offline", description = "Send to an embedded fake Twilio instead (nothing leaves this machine).")
    boolean offline;

    @Option(names = "--outbox", paramLabel = "JDBC_URL", description = "Enqueue each row once in this outbox database"
            + " (PostgreSQL, or H2 for one machine), then send together with every other process using it.")
    String outbox;

    @Option(names = "--category", defaultValue = "transactional", description = "With --outbox: what the messages"
            + " are, transactional (default), marketing (held to 08:00-21:00 in each recipient's local time) or"
            + " critical (never held).")
    String category;

    @Option(names = "--key-column", paramLabel = "COL", description = "With --outbox: the column holding each row's"
            + " own key (e.g. an appointment id), to cancel or reschedule it later with outbox cancel|reschedule.")
    String keyColumn;

    @Option(names = "--not-before", paramLabel = "TIME", description = "With --outbox: send no message before this"
            + " time, ISO-8601 with its offset, e.g. 2026-12-08T09:00-06:00 or 2026-12-08T15:00Z.")
    String notBefore;

    @Override
    public Integer call() {
        PrintWriter out = cli.out;
        PrintWriter err = cli.err;
        FakeTwilio fake = null;
        try {
            TwilioConfig config;
            if (offline) {
                fake = FakeTwilio.start();
                config = fake.config().maxConcurrentRequests(Math.max(16, concurrency)).build();
                out.println("Offline: sending to an embedded fake Twilio at " + fake.baseUrl());
            } else {
                config = cli.environment(envFile).configBuilder()
                        .maxConcurrentRequests(Math.max(16, concurrency)).build();
            }
            SenderRate senderRate = senderRate(config);
            long rows = 0;
            long segments = 0;
            String phoneColumn;
            try (CsvRows scan = new CsvRows(file)) {
                phoneColumn = phoneColumn(scan);
                while (scan.hasNext()) {
                    Map<String, String> row = scan.next();
                    rows++;
                    segments += BulkSender.segments(toMessage(row, phoneColumn, true));
                }
            }
            Duration drain = senderRate.drainTime(segments);
            out.println(rows + " rows, " + segments + " segments; at " + format(senderRate.segmentsPerSecond())
                    + " segments/s (" + senderRate.description() + ") Twilio needs about " + human(drain)
                    + " to send them.");
            if (drain.compareTo(senderRate.queueWindow()) > 0) {
                err.println("Warning: that is more than the " + human(senderRate.queueWindow()) + " of traffic Twilio"
                        + " queues for this sender; messages beyond it fail with 21611. Use a faster sender (toll-free,"
                        + " short code, Messaging Service) or split the list.");
            }
            if (outbox == null && (keyColumn != null || notBefore != null || !category.equals("transactional"))) {
                throw new IllegalArgumentException("--category, --key-column and --not-before work with --outbox only:"
                        + " give --outbox JDBC_URL");
            }
            if (outbox != null) {
                OutboxCommands.checkOptions(this, phoneColumn);
            }
            if (dryRun) {
                return Cli.OK;
            }
            if (outbox != null) {
                return OutboxCommands.sendBulk(this, config, phoneColumn, out, err);
            }
            Set<String> done = outcomes == null ? Set.of() : OutcomeLog.doneRecipients(outcomes);
            if (!done.isEmpty()) {
                out.println("Resuming: " + done.size() + " recipients in " + outcomes + " are done and will be skipped.");
            }
            BulkSummary summary;
            boolean console = System.console() != null;
            try (Channel ch = Channels.open(channel, config);
                 CsvRows rowsIt = new CsvRows(file);
                 OutcomeLog log = outcomes == null ? null : OutcomeLog.append(outcomes)) {
                BulkSender sender = BulkSender.builder(ch, senderRate).concurrency(concurrency).alreadyDone(done)
                        .progress(Duration.ofSeconds(1), p -> {
                            err.print((console ? "\r" : "") + p.describe() + (console ? "   " : System.lineSeparator()));
                            err.flush();
                        }).build();
                summary = sender.send(rowsIt, row -> toMessage(row, phoneColumn, false), o -> {
                    if (log != null) {
                        log.accept(o);
                    }
                    if (o.kind() == org.twiliochannels.core.bulk.BulkOutcome.Kind.REJECTED && o.failure().isPresent()) {
                        err.println((console ? "\r" : "") + o.item().get("#line") + ": " + o.failure().get().getMessage());
                    }
                });
            }
            if (console) {
                err.println();
            }
            out.println("Done: " + summary.progress().describe());
            summary.stoppedBecause().ifPresent(r -> err.println("Stopped early: " + r));
            if (summary.progress().unknown() > 0) {
                err.println(summary.progress().unknown() + " messages may have been sent: check them before sending"
                        + " again (the outcome log lists them as UNKNOWN; a resumed run skips them).");
                return Cli.UNKNOWN;
            }
            return summary.allAccepted() ? Cli.OK : Cli.REJECTED;
        } catch (ChannelConfigurationException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return Cli.USAGE;
        } finally {
            if (fake != null) {
                fake.close();
            }
        }
    }

    private SenderRate senderRate(TwilioConfig config) {
        if (rate != null) {
            return SenderRate.of(rate);
        }
        if (channel.equals("whatsapp")) {
            return SenderRate.WHATSAPP;
        }
        if (config.messagingServiceSid().isPresent() || config.smsFrom().isEmpty()) {
            throw new IllegalArgumentException("With a Messaging Service, give the rate Twilio grants it: --rate"
                    + " <segments per second>.");
        }
        Address from = config.smsFrom().get();
        return SenderRate.forSender(from);
    }

    private static String phoneColumn(CsvRows rows) {
        for (String c : rows.header()) {
            String l = c.toLowerCase(Locale.ROOT);
            if (l.equals("phone") || l.equals("to") || l.equals("number") || l.equals("phone_number")) {
                return c;
            }
        }
        throw new IllegalArgumentException("the CSV header " + rows.header() + " has no phone column: name it phone or to");
    }

    Message toMessage(Map<String, String> row, String phoneColumn, boolean lenient) {
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            String value = row.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("--body uses {" + m.group(1) + "} but the CSV has no such column");
            }
            m.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        m.appendTail(text);
        try {
            return Message.text(row.get(phoneColumn), text.toString());
        } catch (InvalidMessageException e) {
            if (lenient) {
                return Message.text("+14155550100", text.length() == 0 ? "x" : text.toString());
            }
            throw e;
        }
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? (s / 3600) + " h " + (s % 3600) / 60 + " min" : s >= 60 ? (s / 60) + " min " + (s % 60) + " s"
                : s + " s";
    }
}
