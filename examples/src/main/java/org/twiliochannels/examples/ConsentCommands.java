package org.twiliochannels.examples;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The command line's consent ledger, in the outbox's database ({@code --db}, the URL that
 * {@code send-bulk --outbox} takes): {@code consent revoke|grant NUMBER} record a change made by
 * other means (a call, an email, a form) with who and why; {@code consent status NUMBER} prints the
 * state in force per sender and the history; {@code consent list} every recipient's state in force,
 * or {@code --csv} the whole audit trail.
 */
final class ConsentCommands {
    private ConsentCommands() {}

    /** {@code consent}: the consent ledger. */
    @Command(name = "consent", mixinStandardHelpOptions = true, description = "Record and look up recipients' consent"
            + " in the outbox database.", subcommands = {Revoke.class, Grant.class, Status.class, ListAll.class})
    static final class Group implements Runnable {
        @ParentCommand
        Cli cli;

        @Override
        public void run() {
            cli.err.println("Give a subcommand: consent revoke|grant|status NUMBER --db JDBC_URL, or consent list --db"
                    + " JDBC_URL");
        }
    }

    /** What every consent command takes: the database. */
    static final class Database {
        @Option(names = "--db", required = true, paramLabel = "JDBC_URL", description = "The outbox database"
                + " (PostgreSQL, or H2 for one machine), as send-bulk --outbox takes it.")
        String url;
    }

    /** {@code consent revoke} and {@code consent grant}: one change, recorded by the application. */
    abstract static class Change implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Mixin
        Database db;

        @Mixin
        EnvFileOption envFile;

        @Parameters(index = "0", paramLabel = "NUMBER", description = "The recipient, e.g. +14155551234 (or"
                + " whatsapp:+14155551234 with --channel whatsapp).")
        String number;

        @Option(names = "--channel", defaultValue = "sms", description = "The channel: sms (default) or whatsapp.")
        String channel;

        @Option(names = "--from", paramLabel = "SENDER", description = "The sender the consent is for: a Messaging"
                + " Service SID (MG…) or a number (default: the configured Messaging Service, else the channel's"
                + " configured sender).")
        String from;

        @Option(names = "--who", description = "Who records it, for the audit trail (default cli:<user name>).")
        String who;

        @Option(names = "--note", defaultValue = "", description = "Why, e.g. \"asked by phone, ticket 4711\".")
        String note;

        abstract ConsentChange change(Address recipient, ConsentScope scope, ConsentSource source);

        @Override
        public Integer call() {
            Cli cli = group.cli;
            try {
                TwilioConfig config = cli.environment(envFile).toConfig();
                Address recipient = recipient(channel, number);
                ConsentScope scope = scope(config, channel, from);
                String by = who != null ? who : "cli:" + cli.systemProperties.getProperty("user.name", "unknown");
                ConsentChange change = change(recipient, scope, new ConsentSource.Api(by, note));
                try (HikariDataSource ds = OutboxCommands.dataSource(db.url, 2)) {
                    Outbox outbox = Outbox.builder(ds).clock(cli.clock()).build();
                    outbox.migrate();
                    outbox.consentLedger().record(change);
                }
                cli.out.println(recipient.value() + ": " + change.state().name().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ') + " for " + scope + " at " + change.at() + ", recorded by " + by);
                return Cli.OK;
            } catch (ChannelConfigurationException | IllegalArgumentException | OutboxException e) {
                cli.err.println(e.getMessage());
                return Cli.USAGE;
            }
        }

    }

    /** The recipient as Twilio writes it on {@code channel}: {@code whatsapp:} added on WhatsApp. */
    static Address recipient(String channel, String number) {
        return Address.parse(channel.equals("whatsapp") && !number.startsWith("whatsapp:") ? "whatsapp:" + number : number);
    }

    /**
     * The scope a consent of the configured account is kept in: the sender {@code from} when given,
     * else the configured Messaging Service, else the channel's configured sender.
     */
    static ConsentScope scope(TwilioConfig config, String channel, String from) {
        String sender = from;
        if (sender == null && config.messagingServiceSid().isPresent()) {
            sender = config.messagingServiceSid().get().value();
        }
        if (sender == null) {
            var configured = channel.equals("whatsapp") ? config.whatsAppFrom().map(Address::value)
                    : config.smsFrom().map(Address::value);
            sender = configured.orElseThrow(() -> new IllegalArgumentException("--from: no sender is configured for"
                    + " channel " + channel + "; give the number or Messaging Service SID the consent is for"));
        }
        return new ConsentScope(config.credentials().accountSid(), channel, sender);
    }

    /**
     * {@code send --db}: the consent in force for the message's recipient and sender, looked up
     * before any request; empty when it may be sent.
     */
    static java.util.Optional<ConsentChange> optOut(String url, TwilioConfig config, String channel, String to) {
        ConsentScope scope = scope(config, channel, null);
        Address recipient = recipient(channel, to);
        try (HikariDataSource ds = OutboxCommands.dataSource(url, 2)) {
            Outbox outbox = Outbox.builder(ds).build();
            outbox.migrate();
            return outbox.consentLedger().status(scope, recipient)
                    .filter(c -> c.state() == org.twiliochannels.core.consent.ConsentState.OPTED_OUT);
        }
    }

    /** {@code consent revoke NUMBER}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Record that the recipient revoked"
            + " consent (opted out): no message from this sender is sent to them until they consent again.")
    static final class Revoke extends Change {
        @Override
        ConsentChange change(Address recipient, ConsentScope scope, ConsentSource source) {
            return ConsentChange.optOut(recipient, scope, source, group.cli.clock().instant());
        }
    }

    /** {@code consent grant NUMBER}. */
    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Record that the recipient consented"
            + " (opted in) to messages from this sender.")
    static final class Grant extends Change {
        @Override
        ConsentChange change(Address recipient, ConsentScope scope, ConsentSource source) {
            return ConsentChange.optIn(recipient, scope, source, group.cli.clock().instant());
        }
    }

    /** {@code consent status NUMBER}: the state in force per scope, then the history. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Print a recipient's consent per sender"
            + " and every change recorded.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Mixin
        Database db;

        @Parameters(index = "0", paramLabel = "NUMBER", description = "The recipient, e.g. +14155551234 or"
                + " whatsapp:+14155551234.")
        String number;

        @Override
        public Integer call() {
            Cli cli = group.cli;
            try {
                Address recipient = Address.parse(number);
                List<ConsentChange> history = ledger(db.url, ConsentLedger::history, recipient);
                if (history.isEmpty()) {
                    cli.out.println(recipient.value() + ": no consent change recorded (no opt-out known)");
                    return Cli.OK;
                }
                java.util.Map<ConsentScope, ConsentChange> inForce = new java.util.TreeMap<>(
                        java.util.Comparator.comparing(ConsentScope::key));
                for (ConsentChange c : history) { // oldest first: the last per scope is in force
                    inForce.put(c.scope(), c);
                }
                inForce.forEach((scope, c) -> cli.out.println(recipient.value() + ": " + state(c) + " for " + scope
                        + " since " + c.at()));
                cli.out.println("History:");
                for (ConsentChange c : history) {
                    cli.out.println("  " + line(c, false));
                }
                return Cli.OK;
            } catch (IllegalArgumentException | OutboxException e) {
                cli.err.println(e.getMessage());
                return Cli.USAGE;
            }
        }
    }

    /** {@code consent list}: every recipient's state in force, or the audit trail as CSV. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every recipient's consent in force"
            + " (numbers masked), or with --csv every change ever recorded.")
    static final class ListAll implements Callable<Integer> {
        @ParentCommand
        Group group;

        @Mixin
        Database db;

        @Option(names = "--csv", description = "Write the whole audit trail as CSV instead.")
        boolean csv;

        @Option(names = "--full-numbers", description = "Show numbers in full (default masked, as logs show them).")
        boolean full;

        @Override
        public Integer call() {
            Cli cli = group.cli;
            PrintWriter out = cli.out;
            try (HikariDataSource ds = OutboxCommands.dataSource(db.url, 2)) {
                Outbox outbox = Outbox.builder(ds).build();
                outbox.migrate();
                ConsentLedger ledger = outbox.consentLedger();
                if (csv) {
                    ledger.exportCsv(out, !full);
                    return Cli.OK;
                }
                List<ConsentChange> current = ledger.current();
                for (ConsentChange c : current) {
                    out.println(line(c, !full));
                }
                out.println(current.size() + " recipient(s) and sender(s) with a consent recorded, "
                        + current.stream().filter(c -> c.state() == org.twiliochannels.core.consent.ConsentState.OPTED_OUT)
                        .count() + " opted out");
                return Cli.OK;
            } catch (IllegalArgumentException | OutboxException e) {
                cli.err.println(e.getMessage());
                return Cli.USAGE;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static <T> T ledger(String url, java.util.function.BiFunction<ConsentLedger, Address, T> query,
                                Address recipient) {
        try (HikariDataSource ds = OutboxCommands.dataSource(url, 2)) {
            Outbox outbox = Outbox.builder(ds).build();
            outbox.migrate();
            return query.apply(outbox.consentLedger(), recipient);
        }
    }

    private static String state(ConsentChange c) {
        return c.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** {@code 2026-12-08T09:00:00Z  opted out  +1415***1234  AC…/sms/+1…  api support:alice "ticket 7"}. */
    static String line(ConsentChange c, boolean mask) {
        String source;
        if (c.source() instanceof ConsentSource.Keyword k) {
            source = "keyword " + k.keyword() + " in " + k.messageSid().value();
        } else if (c.source() instanceof ConsentSource.Api a) {
            source = "recorded by " + a.who() + (a.note().isEmpty() ? "" : " (" + a.note() + ")");
        } else {
            source = "Twilio error 21610";
        }
        return c.at() + "  " + state(c) + "  " + (mask ? c.recipient().masked() : c.recipient().value()) + "  "
                + c.scope() + "  " + source;
    }
}
