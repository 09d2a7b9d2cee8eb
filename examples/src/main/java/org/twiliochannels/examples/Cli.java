package org.twiliochannels.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.settings.SetupReport;
import org.twiliochannels.core.settings.TwilioEnvironment;
import org.twiliochannels.core.spi.ChannelProvider;
import org.twiliochannels.testing.FakeTwilio;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The {@code twilio-channels} command line: {@code demo}, {@code send}, {@code status},
 * {@code channels}, {@code doctor} and {@code templates}. Exit codes: 0 accepted / all well, 1 rejected or not sent /
 * problems found, 2 usage or configuration error, 3 outcome unknown.
 */
@Command(name = "twilio-channels", mixinStandardHelpOptions = true, version = "twilio-channels 0.2.0",
        description = "Send SMS and WhatsApp messages through Twilio, and check a Twilio set-up.",
        subcommands = {Cli.Demo.class, Cli.Send.class, SendBulk.class, Cli.Status.class, Cli.ListChannels.class,
            Cli.Doctor.class, OutboxCommands.Group.class, TemplateCommands.Group.class, ConsentCommands.Group.class})
public final class Cli implements Runnable {
    static final int OK = 0;
    static final int REJECTED = 1;
    static final int USAGE = 2;
    static final int UNKNOWN = 3;

    final Map<String, String> environment;
    final Properties systemProperties;
    PrintWriter out;
    PrintWriter err;

    Cli(Map<String, String> environment, Properties systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
    }

    /**
     * Runs the command line and exits with its code. Writes UTF-8 whatever the locale (a C/POSIX
     * locale would otherwise turn every non-ASCII character into {@code ?}); {@code --json} output
     * is pure ASCII.
     */
    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), System.getProperties(), utf8(FileDescriptor.out),
                utf8(FileDescriptor.err)));
    }

    private static PrintWriter utf8(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }

    /** Runs the command line with the given environment and streams; returns the exit code. */
    static int execute(String[] args, Map<String, String> env, Properties props, PrintWriter out, PrintWriter err) {
        Cli cli = new Cli(env, props);
        cli.out = out;
        cli.err = err;
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExitCodeExceptionMapper(e -> USAGE);
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    /**
     * The clock the outbox and consent commands decide by: the system's, or a fixed instant given
     * as the system property {@code twilio-channels.now} (ISO-8601), to try quiet hours at another
     * time of day.
     */
    java.time.Clock clock() {
        String now = systemProperties.getProperty("twilio-channels.now");
        if (now == null) {
            return java.time.Clock.systemUTC();
        }
        return java.time.Clock.fixed(OutboxCommands.time("twilio-channels.now", now), java.time.ZoneOffset.UTC);
    }

    /** The settings: {@code --env-file}, or the first of {@code .env} and {@code backend/.env} in the working directory. */
    TwilioEnvironment environment(EnvFileOption envFile) {
        TwilioEnvironment.Builder b = TwilioEnvironment.builder().environment(environment).systemProperties(systemProperties);
        String workingDirectory = systemProperties.getProperty("user.dir");
        if (workingDirectory != null) {
            b.directory(Path.of(workingDirectory));
        }
        if (envFile.path != null) {
            b.envFile(envFile.path);
        }
        return b.read();
    }

    int sendAndReport(Channel channel, Message message) {
        return sendAndReport(channel, message, out, err);
    }

    /** Sends one message and turns the outcome into output and an exit code. */
    static int sendAndReport(Channel channel, Message message, PrintWriter out, PrintWriter err) {
        try {
            Receipt r = channel.send(message);
            out.println(r.sid() + " accepted (status " + r.status().twilioName()
                    + r.segments().stream().mapToObj(n -> ", " + n + " segment" + (n == 1 ? "" : "s")).findFirst().orElse("")
                    + ") via " + r.channel() + " to " + r.to().value()
                    + (r.settled() ? "; the answer was lost and the message was found in Twilio's message log" : ""));
            return OK;
        } catch (InvalidMessageException e) {
            err.println("Not sent: " + e.getMessage());
            return USAGE;
        } catch (TwilioRejectedException e) {
            err.println("Rejected: " + e.error().describe());
            return REJECTED;
        } catch (DeliveryUnknownException e) {
            err.println("Outcome unknown after reading Twilio's message log: " + e.getMessage() + ".");
            err.println("Before sending again, look for a message to " + message.to().masked() + " sent just now in"
                    + " Twilio Console > Monitor > Logs > Messaging, or wait for its status callback.");
            return UNKNOWN;
        } catch (TwilioChannelsException e) {
            err.println("Not sent: " + e.getMessage());
            return REJECTED;
        }
    }

    /** Runs the offline demo, or the live one when credentials are set. */
    @Command(name = "demo", mixinStandardHelpOptions = true, description = "Send an SMS and a WhatsApp message: offline against an embedded fake Twilio"
            + " when no TWILIO_* credentials are set, for real otherwise.")
    static final class Demo implements Callable<Integer> {
        @ParentCommand
        Cli cli;

        @Option(names = "--to", description = "Recipient in E.164 form (required with real credentials).")
        String to;

        @Mixin
        EnvFileOption envFile;

        @Override
        public Integer call() {
            TwilioEnvironment env = cli.environment(envFile);
            if (!env.hasCredentials()) {
                return new OfflineDemo(cli.out, cli.err).run(to == null ? OfflineDemo.DEFAULT_TO : to);
            }
            if (to == null) {
                cli.err.println("Live demo: TWILIO_* credentials are set, so messages really go out; give a recipient"
                        + " with --to +<country code><number>, e.g. --to +14155551234 (unset the credentials for the"
                        + " offline demo).");
                return USAGE;
            }
            TwilioConfig config;
            try {
                config = env.toConfig();
            } catch (ChannelConfigurationException e) {
                cli.err.println(e.getMessage());
                return USAGE;
            }
            cli.out.println("Live demo: sending through Twilio as account " + config.credentials().accountSid()
                    + " to " + to + ".");
            int worst = OK;
            for (String id : List.of("sms", "whatsapp")) {
                boolean configured = id.equals("sms") ? config.smsFrom().isPresent() || config.messagingServiceSid().isPresent()
                        : config.whatsAppFrom().isPresent();
                if (!configured) {
                    cli.out.println("[" + id + "] skipped: no sender configured");
                    continue;
                }
                try (Channel channel = Channels.open(id, config)) {
                    cli.out.print("[" + id + "] ");
                    worst = Math.max(worst, cli.sendAndReport(channel, Message.text(to, "Hello from the twilio-channels demo")));
                }
            }
            return worst;
        }
    }

    /** Sends one message. */
    @Command(name = "send", mixinStandardHelpOptions = true, description = "Send one message on a channel (sms or whatsapp).")
    static final class Send implements Callable<Integer> {
        @ParentCommand
        Cli cli;

        @Parameters(index = "0", description = "The channel: sms or whatsapp.")
        String channel;

        @Option(names = "--to", required = true, description = "Recipient in E.164 form, e.g. +14155551234.")
        String to;

        @Option(names = "--body", description = "The text (at most 1600 characters).")
        String body;

        @Option(names = "--media", description = "A media URL (repeatable, at most 10).")
        List<URI> media = List.of();

        @Option(names = "--status-callback", description = "URL Twilio posts status changes to.")
        URI statusCallback;

        @Mixin
        EnvFileOption envFile;

        @Option(names = "--offline", description = "Send to an embedded fake Twilio instead (nothing leaves this machine).")
        boolean offline;

        @Option(names = "--db", paramLabel = "JDBC_URL", description = "Check the consent ledger in this outbox database"
                + " first: an opted-out recipient is not sent to (no request).")
        String db;

        @Override
        public Integer call() {
            Message message;
            try {
                Message.Builder b = Message.builder().to(to);
                if (body != null) {
                    b.body(body);
                }
                media.forEach(b::mediaUrl);
                if (statusCallback != null) {
                    b.statusCallback(statusCallback);
                }
                message = b.build();
            } catch (InvalidMessageException e) {
                cli.err.println("Not sent: " + e.getMessage());
                return USAGE;
            }
            FakeTwilio fake = null;
            try {
                TwilioConfig config;
                if (offline) {
                    fake = FakeTwilio.start();
                    if (message.to() instanceof org.twiliochannels.core.WhatsAppAddress w) {
                        fake.joinSandbox(w.phoneNumber());
                    }
                    config = fake.config().build();
                    cli.out.println("Offline: sending to an embedded fake Twilio at " + fake.baseUrl());
                } else {
                    config = cli.environment(envFile).toConfig();
                }
                if (db != null) {
                    var optOut = ConsentCommands.optOut(db, config, channel, to);
                    if (optOut.isPresent()) {
                        cli.err.println("Not sent: " + ConsentCommands.line(optOut.get(), true) + "; no request was made."
                                + " Record a new consent with consent grant if the recipient opted back in.");
                        return REJECTED;
                    }
                }
                try (Channel ch = Channels.open(channel, config)) {
                    return cli.sendAndReport(ch, message);
                }
            } catch (ChannelConfigurationException e) {
                cli.err.println(e.getMessage());
                cli.err.println("Run 'doctor' for a full check of the set-up, or add --offline to try without an account.");
                return USAGE;
            } catch (IllegalArgumentException | org.twiliochannels.outbox.OutboxException e) { // --db and its scope
                cli.err.println(e.getMessage());
                return USAGE;
            } finally {
                if (fake != null) {
                    fake.close();
                }
            }
        }
    }

    /** Looks a message up. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a message's current status at Twilio.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Cli cli;

        @Parameters(index = "0", description = "The message SID (SM…).")
        String sid;

        @Mixin
        EnvFileOption envFile;

        @Override
        public Integer call() {
            try {
                MessageSid messageSid = MessageSid.of(sid);
                TwilioConfig config = cli.environment(envFile).toConfig();
                try (TwilioAccount account = TwilioAccount.open(config)) {
                    MessageState s = account.fetch(messageSid);
                    cli.out.println(s.sid() + " " + s.status().twilioName()
                            + s.errorCode().stream().mapToObj(c -> " (error " + c + ")").findFirst().orElse("")
                            + s.errorMessage().map(m -> ": " + m).orElse(""));
                    return OK;
                }
            } catch (IllegalArgumentException | ChannelConfigurationException e) {
                cli.err.println(e.getMessage());
                return USAGE;
            } catch (TwilioChannelsException e) {
                cli.err.println(e.getMessage());
                return REJECTED;
            }
        }
    }

    /** Lists the channels on the class path. */
    @Command(name = "channels", mixinStandardHelpOptions = true, description = "List the channels found on the class path.")
    static final class ListChannels implements Callable<Integer> {
        @ParentCommand
        Cli cli;

        @Override
        public Integer call() {
            Map<String, ChannelProvider> providers = Channels.providers(Cli.class.getClassLoader());
            providers.forEach((id, p) -> cli.out.println(id + "\t" + p.description()));
            return OK;
        }
    }

    /** Checks the set-up. */
    @Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check the Twilio settings and say exactly what is wrong.")
    static final class Doctor implements Callable<Integer> {
        @ParentCommand
        Cli cli;

        @Option(names = "--live", description = "Also ask Twilio (one API call each): credentials, account, SMS number;"
                + " then list the WhatsApp templates with their approval status.")
        boolean live;

        @Mixin
        EnvFileOption envFile;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() {
            TwilioEnvironment env = cli.environment(envFile);
            SetupReport report = live ? env.checkLive() : env.check();
            if (json) {
                cli.out.println(live && report.ok() ? withTemplates(report.toJson(), env) : report.toJson());
            } else {
                cli.out.print(colour(report.toText()));
                if (live && report.ok()) {
                    templates(env);
                }
            }
            return report.ok() ? OK : REJECTED;
        }

        /**
         * The live JSON report with the account's templates added under {@code "templates"} (see
         * {@link TemplateCommands#jsonList}); when they cannot be listed, {@code "templates"} is null
         * and {@code "templatesError"} says why.
         */
        private static String withTemplates(String reportJson, TwilioEnvironment env) {
            ObjectMapper mapper = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();  // as toJson()
            try {
                ObjectNode root = (ObjectNode) mapper.readTree(reportJson);
                try (TwilioAccount account = TwilioAccount.open(env.toConfig())) {
                    root.set("templates", TemplateCommands.jsonList(account.content()));
                } catch (TwilioChannelsException e) {
                    root.putNull("templates");
                    root.put("templatesError", e.getMessage());
                }
                return mapper.writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot add the templates to the report's JSON", e);
            }
        }

        /** The live check's last part: the account's WhatsApp templates and their approval status. */
        private void templates(TwilioEnvironment env) {
            cli.out.println();
            cli.out.println("WhatsApp templates (Content API):");
            try (TwilioAccount account = TwilioAccount.open(env.toConfig())) {
                TemplateCommands.printList(account.content(), cli.out, "  ");
            } catch (TwilioChannelsException e) {
                cli.out.println("  [warning] could not be listed: " + e.getMessage());
            }
        }

        private String colour(String text) {
            if (System.console() == null || cli.environment.containsKey("NO_COLOR")) {
                return text;
            }
            return text.replace("[ok]", "\u001b[32m[ok]\u001b[0m")
                    .replace("[warning]", "\u001b[33m[warning]\u001b[0m")
                    .replace("[problem]", "\u001b[31m[problem]\u001b[0m");
        }
    }
}
